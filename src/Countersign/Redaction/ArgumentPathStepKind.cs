namespace Countersign.Redaction;

/// <summary>What one step of an <see cref="ArgumentPath"/> selects.</summary>
internal enum ArgumentPathStepKind
{
    /// <summary>A field of an object, by exact (case-sensitive) name.</summary>
    Property,

    /// <summary>One element of an array, by zero-based index.</summary>
    Index,

    /// <summary>Every element of an array (<c>[*]</c>).</summary>
    EveryElement,

    /// <summary>A field, by exact name, of this object or of any object below it, inside arrays too (<c>..name</c>).</summary>
    AnyDepth,
}
