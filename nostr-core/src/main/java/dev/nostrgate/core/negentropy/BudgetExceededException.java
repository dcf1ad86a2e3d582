package dev.nostrgate.core.negentropy;

/** A {@link BlockStorage} could not be built: its {@link StorageBudget} has no heap or disk left for it. */
public final class BudgetExceededException extends RuntimeException {
    public BudgetExceededException(String message) {
        super(message);
    }
}
