package io.zkpfl.marketplace.chain;

import io.zkpfl.contracts.RevertReason;
import java.util.List;
import java.util.Map;

/** How a {@code createJob} revert reads in a problem: the request field it concerns and a readable detail. */
public final class ChainRejection {

    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("FeeTokenNotAllowed", "fee.token"),
            Map.entry("FeeBelowMinimum", "fee.amount"),
            Map.entry("ERC20InsufficientAllowance", "fee.amount"),
            Map.entry("ERC20InsufficientBalance", "fee.amount"),
            Map.entry("NonceAlreadyUsed", "nonce"),
            Map.entry("NotEnoughNodes", "committee.size"),
            Map.entry("SignatureExpired", "deadline"),
            Map.entry("InvalidSignature", "signature"));
    private static final Map<String, String> PARAMETER_FIELDS = Map.of(
            "committee", "committee", "trainers", "maxTrainers", "ppm", "targetAccuracy", "window", "windows",
            "quantisation", "clipQ16", "bucket", "model", "maxRounds", "maxRounds", "evaluator", "evaluator");
    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("FeeTokenNotAllowed", "the fee token is not allow-listed by the JobMarket"),
            Map.entry("FeeBelowMinimum", "the fee is below the JobMarket's minimum for this token"),
            Map.entry("ERC20InsufficientAllowance", "the owner has not approved the JobMarket for the fee "
                    + "(approve it, or send fee.permit)"),
            Map.entry("ERC20InsufficientBalance", "the owner's balance does not cover the fee"),
            Map.entry("NonceAlreadyUsed", "this owner already used this nonce on chain; sign with a fresh nonce"),
            Map.entry("NotEnoughNodes", "fewer zk-nodes are registered than the committee size"),
            Map.entry("SignatureExpired", "the signature's deadline has passed"),
            Map.entry("InvalidSignature", "the JobMarket does not accept the owner's signature"),
            Map.entry("InvalidParameter", "the JobMarket refuses a parameter"));

    private ChainRejection() {
    }

    /** The request field a revert concerns (JSON path), or {@code null}. */
    public static String field(RevertReason reason) {
        if ("InvalidParameter".equals(reason.name()) && !reason.args().isEmpty()) {
            return PARAMETER_FIELDS.getOrDefault(String.valueOf(reason.args().getFirst()), null);
        }
        return FIELDS.get(reason.name());
    }

    /** E.g. {@code JobMarket.createJob reverts with FeeBelowMinimum(100, 200): the fee is below …}. */
    public static String detail(RevertReason reason) {
        String hint = HINTS.get(reason.name());
        return "JobMarket.createJob reverts with " + text(reason) + (hint == null ? "" : ": " + hint);
    }

    /** {@code Name(arg, …)}. */
    public static String text(RevertReason reason) {
        List<String> args = reason.args().stream().map(String::valueOf).toList();
        return reason.name() + "(" + String.join(", ", args) + ")";
    }

    /** Whether a revert is final: submitting the same job again cannot succeed, whatever else changes on chain. */
    public static boolean isFinal(RevertReason reason) {
        return switch (reason.name()) {
            case "FeeTokenNotAllowed", "FeeBelowMinimum", "NonceAlreadyUsed", "SignatureExpired", "InvalidSignature",
                 "InvalidParameter" -> true;
            default -> false;
        };
    }
}
