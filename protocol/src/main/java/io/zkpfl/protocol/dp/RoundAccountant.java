package io.zkpfl.protocol.dp;

/**
 * A job's privacy ledger: every certified round spends one invocation of the job's per-round
 * mechanism; {@code ε} is reported at the job's {@code δ} after each round, and a round that would
 * take {@code ε} past the budget is refused before it starts. Not thread-safe.
 */
public final class RoundAccountant {

    private final PrivacyBudget budget;
    private final RdpMechanism perRound;
    private final RdpAccountant accountant;

    /** Over {@link RdpAccountant#defaultOrders()} with {@link EpsilonConversion#BALLE_2020}. */
    public RoundAccountant(PrivacyBudget budget, RdpMechanism perRound) {
        this(budget, perRound, new RdpAccountant(budget.delta()));
    }

    /** With an accountant of the caller's choosing; its {@code δ} must be the budget's. */
    public RoundAccountant(PrivacyBudget budget, RdpMechanism perRound, RdpAccountant accountant) {
        if (accountant.delta() != budget.delta() || accountant.steps() != 0) {
            throw new IllegalArgumentException("the accountant must be fresh and use the budget's δ");
        }
        this.budget = budget;
        this.perRound = perRound;
        this.accountant = accountant;
    }

    /** Whether one more round keeps {@code ε ≤} the budget's. */
    public boolean fitsAnotherRound() {
        return fits(1);
    }

    /**
     * Records one round and returns the guarantee after it.
     *
     * @throws IllegalStateException when the round does not fit the budget; nothing is recorded
     */
    public PrivacySpent recordRound() {
        if (!fitsAnotherRound()) {
            throw new IllegalStateException("privacy budget ε = " + budget.epsilon() + " would be exceeded by round "
                    + (accountant.steps() + 1));
        }
        accountant.compose(perRound, 1);
        return accountant.spent();
    }

    /** The guarantee after the rounds recorded so far (ε = 0 before the first). */
    public PrivacySpent spent() {
        return accountant.steps() == 0 ? new PrivacySpent(0, budget.delta(), Double.NaN) : accountant.spent();
    }

    /** Rounds recorded so far. */
    public long rounds() {
        return accountant.steps();
    }

    /** How many more rounds fit the budget from here: the largest {@code k} with {@code ε(rounds + k) ≤} budget. */
    public long remainingRounds() {
        if (!fitsAnotherRound()) {
            return 0;
        }
        long low = 1;
        long high = 2;
        while (fits(high)) {
            low = high;
            high *= 2;
            if (high > (1L << 40)) {
                return Long.MAX_VALUE;
            }
        }
        while (high - low > 1) {
            long middle = (low + high) >>> 1;
            if (fits(middle)) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private boolean fits(long moreRounds) {
        return accountant.spentAfter(perRound, moreRounds).epsilon() <= budget.epsilon();
    }
}
