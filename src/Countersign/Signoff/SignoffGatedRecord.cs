namespace Countersign.Signoff;

/// <summary>
/// A record that cannot be in a consequential status without a human's sign-off. Declare the gated statuses with
/// <see cref="SignoffGateAttribute"/>; the status and the sign-off then change only together, through the
/// constructor or <see cref="TransitionTo(TStatus, HumanSignoff?)"/>, and every change is checked before it is made.
/// </summary>
/// <typeparam name="TStatus">The status type: <see cref="string"/> or an enum.</typeparam>
/// <remarks>
/// <para>
/// <see cref="Status"/> and <see cref="Signoff"/> have no setter and no <see langword="init"/> accessor, so object
/// initializers and <see langword="with"/> expressions cannot name them: they copy or extend a record whose gate was
/// already checked. Other properties of the derived record are ordinary properties and cost nothing extra to set.
/// </para>
/// <para>
/// Give the derived record a constructor that takes the status and the sign-off; a positional record does this for
/// you, and System.Text.Json (reflection or source generated) then builds the record through that checked constructor.
/// </para>
/// <para>
/// Changes are atomic: the status and sign-off are held as one immutable pair, swapped only after the new pair
/// passed the gate, so a refused change leaves the record exactly as it was and concurrent readers never see half a change.
/// </para>
/// </remarks>
public abstract record SignoffGatedRecord<TStatus> : ISignoffGatedRecord
    where TStatus : notnull
{
    private GateState _state;

    /// <summary>Creates the record in <paramref name="status"/>, checking the gate first.</summary>
    /// <param name="status">The initial status.</param>
    /// <param name="signoff">The sign-off; required when <paramref name="status"/> is gated.</param>
    /// <exception cref="SignoffRequiredException">The status is gated and the sign-off is missing or incomplete.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="status"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a member of its enum.</exception>
    /// <exception cref="InvalidOperationException">The record type declares no valid <see cref="SignoffGateAttribute"/>.</exception>
    protected SignoffGatedRecord(TStatus status, HumanSignoff? signoff = null)
    {
        var rules = SignoffRules<TStatus>.For(GetType());
        rules.Enforce(status, signoff);
        _state = new GateState(rules, status, signoff);
    }

    /// <summary>Copies <paramref name="original"/>, as <see langword="with"/> expressions do.</summary>
    /// <param name="original">The record to copy.</param>
    /// <exception cref="SignoffRequiredException">
    /// <paramref name="original"/> is of another record type whose gate is looser than this type's.
    /// </exception>
    protected SignoffGatedRecord(SignoffGatedRecord<TStatus> original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var state = Volatile.Read(ref original._state);
        if (original.GetType() != GetType())
        {
            // A derived constructor may pass a record of another type to this copy constructor: re-check under our rules.
            var rules = SignoffRules<TStatus>.For(GetType());
            rules.Enforce(state.Status, state.Signoff);
            state = new GateState(rules, state.Status, state.Signoff);
        }

        _state = state;
    }

    /// <summary>Gets the current status.</summary>
    public TStatus Status => Volatile.Read(ref _state).Status;

    /// <summary>Gets the sign-off on file, if any.</summary>
    public HumanSignoff? Signoff => Volatile.Read(ref _state).Signoff;

    /// <inheritdoc />
    string ISignoffGatedRecord.StatusName
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return state.Rules.NameOf(state.Status);
        }
    }

    /// <summary>Moves the record to <paramref name="status"/>, keeping the sign-off on file.</summary>
    /// <param name="status">The new status.</param>
    /// <exception cref="SignoffRequiredException">
    /// The status is gated and the sign-off on file does not satisfy it; the record is unchanged.
    /// </exception>
    public void TransitionTo(TStatus status) => Commit(status, keepSignoff: true, signoff: null);

    /// <summary>Moves the record to <paramref name="status"/> with <paramref name="signoff"/> on file, as one change.</summary>
    /// <param name="status">The new status.</param>
    /// <param name="signoff">The sign-off that replaces the one on file; <see langword="null"/> removes it.</param>
    /// <exception cref="SignoffRequiredException">
    /// The status is gated and <paramref name="signoff"/> does not satisfy it; the record is unchanged.
    /// </exception>
    public void TransitionTo(TStatus status, HumanSignoff? signoff) => Commit(status, keepSignoff: false, signoff);

    /// <summary>Replaces the sign-off on file, keeping the status.</summary>
    /// <param name="signoff">The new sign-off; <see langword="null"/> removes it.</param>
    /// <exception cref="SignoffRequiredException">
    /// The record is in a gated status and <paramref name="signoff"/> does not satisfy it; the record is unchanged.
    /// </exception>
    public void ReplaceSignoff(HumanSignoff? signoff)
    {
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if (TryCommit(current, current.Status, signoff))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Moves the record to <paramref name="status"/> with <paramref name="signoff"/> on file if the gate allows it,
    /// without throwing when it does not.
    /// </summary>
    /// <param name="status">The new status.</param>
    /// <param name="signoff">The sign-off that replaces the one on file; <see langword="null"/> removes it.</param>
    /// <param name="missingFields">The sign-off fields that are missing; empty when the record moved.</param>
    /// <returns><see langword="true"/> if the record moved; otherwise it is unchanged.</returns>
    public bool TryTransitionTo(TStatus status, HumanSignoff? signoff, out IReadOnlyList<string> missingFields)
    {
        while (true)
        {
            var current = Volatile.Read(ref _state);
            missingFields = current.Rules.FindMissing(status, signoff);
            if (missingFields.Count > 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, current with { Status = status, Signoff = signoff }, current) == current)
            {
                return true;
            }
        }
    }

    private void Commit(TStatus status, bool keepSignoff, HumanSignoff? signoff)
    {
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if (TryCommit(current, status, keepSignoff ? current.Signoff : signoff))
            {
                return;
            }
        }
    }

    /// <summary>Checks the new pair and swaps it in; false only when another thread changed the record meanwhile.</summary>
    private bool TryCommit(GateState current, TStatus status, HumanSignoff? signoff)
    {
        current.Rules.Enforce(status, signoff);
        return Interlocked.CompareExchange(ref _state, current with { Status = status, Signoff = signoff }, current) == current;
    }

    private sealed record GateState(SignoffRules<TStatus> Rules, TStatus Status, HumanSignoff? Signoff);
}
