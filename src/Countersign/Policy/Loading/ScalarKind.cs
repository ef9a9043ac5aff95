namespace Countersign.Policy.Loading;

/// <summary>The type of a scalar, as JSON states it or as a plain YAML scalar resolves under the YAML 1.2 core schema.</summary>
internal enum ScalarKind
{
    String,
    Number,
    Boolean,
    Null,
}
