package io.zkpfl.engine.cli;

import io.zkpfl.contracts.JobState;
import io.zkpfl.contracts.generated.JobMarket.JobParams;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * From the chain alone (contract reads and events, never the engine's database): for every job, escrowed = paid +
 * refunded + remaining, the market's token balance = what it owes + what it escrows, and every amount credited
 * equals the contract's formula (docs/audit-api.md, "Reconciliation").
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Checks every job's escrow and every payment against the contract's formula, from the chain alone.%n"
                + "Exit status 0 when everything reconciles, 1 when something does not (each mismatch on its own line).")
public final class ReconcileCommand implements Callable<Integer> {

    static final long PPM = 1_000_000L;
    static final long NODE_SHARE_PPM = 200_000L;

    @Mixin
    ChainOptions chain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ChainReader r = chain.reader()) {
            List<String> problems = reconcile(r, out);
            problems.forEach(p -> out.println("MISMATCH " + p));
            out.println(problems.isEmpty() ? "reconciled: every escrow and payment matches"
                    : problems.size() + " mismatch(es)");
            return problems.isEmpty() ? 0 : 1;
        }
    }

    static List<String> reconcile(ChainReader r, PrintWriter out) {
        List<String> problems = new ArrayList<>();
        long count = r.client.market().jobCount().longValue();
        BigInteger escrowedTotal = BigInteger.ZERO;
        for (long id = 1; id <= count; id++) {
            BigInteger job = BigInteger.valueOf(id);
            JobState s = r.client.market().job(job);
            BigInteger remaining = r.client.market().remaining(job);
            escrowedTotal = escrowedTotal.add(remaining);
            if (!s.escrowed().equals(s.paid().add(s.refunded()).add(remaining))) {
                problems.add("job " + job + ": escrowed " + s.escrowed() + " ≠ paid " + s.paid() + " + refunded "
                        + s.refunded() + " + remaining " + remaining);
            }
            BigInteger credited = r.of(job, "RewardCredited").stream()
                    .map(e -> new BigInteger(e.args().get("amount").asText())).reduce(BigInteger.ZERO, BigInteger::add);
            if (!credited.equals(s.paid())) {
                problems.add("job " + job + ": the RewardCredited events sum to " + credited + ", the job paid " + s.paid());
            }
            int checked = checkRounds(r, job, problems);
            out.printf("job %s: escrowed %s = paid %s + refunded %s + remaining %s; %d payments checked against the formula%n",
                    job, s.escrowed(), s.paid(), s.refunded(), remaining, checked);
        }
        String token = r.client.addresses().token();
        BigInteger balance = r.client.token().balanceOf(token, r.client.addresses().market());
        BigInteger owed = r.client.market().totalOwed(token);
        if (!balance.equals(owed.add(escrowedTotal))) {
            problems.add("the market holds " + balance + " but owes " + owed + " and escrows " + escrowedTotal);
        }
        return problems;
    }

    /** Checks the credits of each paid round of {@code job}; returns how many amounts were checked. */
    private static int checkRounds(ChainReader r, BigInteger job, List<String> problems) {
        JobParams p = r.client.market().jobParams(job);
        int checked = 0;
        for (ChainReader.Event paid : r.of(job, "RoundPaid")) {
            int round = paid.round();
            BigInteger pool = new BigInteger(paid.args().get("pool").asText());
            ChainReader.Event agg = r.of(job, "RoundAggregated").stream().filter(e -> e.round() == round).findFirst()
                    .orElse(null);
            if (agg == null) {
                problems.add("job " + job + " round " + round + ": paid without a RoundAggregated event");
                continue;
            }
            int attempt = agg.attempt();
            // the nodes that opened share NODE_SHARE_PPM of the pool equally (JobRounds.openResult)
            long opened = r.of(job, "OpeningVerified").stream().filter(e -> e.round() == round && e.attempt() == attempt)
                    .count();
            BigInteger nodePay = pool.multiply(BigInteger.valueOf(NODE_SHARE_PPM)).divide(BigInteger.valueOf(PPM))
                    .divide(BigInteger.valueOf(Math.max(1, opened)));
            for (ChainReader.Event c : r.inTx(agg.tx(), "RewardCredited")) {
                checked++;
                if (!new BigInteger(c.args().get("amount").asText()).equals(nodePay)) {
                    problems.add("job " + job + " round " + round + ": node " + c.args().get("account").asText()
                            + " was credited " + c.args().get("amount").asText() + ", the formula gives " + nodePay
                            + " (tx " + c.tx() + ")");
                }
            }
            // the trainers: pool − nodes' share by alpha · n_i/Σn + (1 − alpha) · accuracy share (JobRules.rewards)
            List<String> excluded = r.of(job, "TrainerExcluded").stream()
                    .filter(e -> e.round() == round && e.attempt() == attempt)
                    .map(e -> e.args().get("trainer").asText()).toList();
            List<ChainReader.Event> commits = r.of(job, "RoundCommitted").stream()
                    .filter(e -> e.round() == round && e.attempt() == attempt
                            && !excluded.contains(e.args().get("trainer").asText())).toList();
            long[] work = commits.stream().mapToLong(e -> e.args().get("samples").asLong()).toArray();
            long alpha = p.alpha.longValue();
            long[] shares = new long[work.length];
            String input = r.input(paid.tx());
            boolean evaluated = input.startsWith(POST_ROUND_RESULT);
            if (evaluated) {
                shares = accuracyShares(input);
            } else {
                alpha = PPM; // advance after the evaluator's deadline, or the owner's stop: time share only
            }
            BigInteger trainerPool = pool.subtract(pool.multiply(BigInteger.valueOf(NODE_SHARE_PPM)).divide(BigInteger.valueOf(PPM)));
            BigInteger[] expected = rewards(trainerPool, alpha, work, shares);
            List<ChainReader.Event> credits = r.inTx(paid.tx(), "RewardCredited");
            List<BigInteger> nonZero = new ArrayList<>();
            for (int j = 0; j < expected.length; j++) {
                if (expected[j].signum() > 0) {
                    nonZero.add(expected[j]);
                }
            }
            List<BigInteger> actual = credits.stream().map(c -> new BigInteger(c.args().get("amount").asText())).toList();
            checked += actual.size();
            if (!nonZero.equals(actual)) {
                problems.add("job " + job + " round " + round + ": trainers were credited " + actual + ", the formula gives "
                        + nonZero + " (alpha " + alpha + ", n " + Arrays.toString(work) + ", shares " + Arrays.toString(shares)
                        + ", tx " + paid.tx() + ")");
            }
            BigInteger sum = actual.stream().reduce(BigInteger.ZERO, BigInteger::add);
            if (!sum.toString().equals(paid.args().get("paid").asText())) {
                problems.add("job " + job + " round " + round + ": RoundPaid says " + paid.args().get("paid").asText()
                        + " paid, the credits sum to " + sum);
            }
        }
        return checked;
    }

    /**
     * The selector of postRoundResult(uint256,bytes32,uint32,uint32[],uint32[]): accuracy shares, then the per-group
     * accuracies; the shares decode from the head as before.
     */
    static final String POST_ROUND_RESULT = org.web3j.crypto.Hash.sha3String(
            "postRoundResult(uint256,bytes32,uint32,uint32[],uint32[])").substring(0, 10);

    @SuppressWarnings({"rawtypes", "unchecked"})
    static long[] accuracyShares(String input) {
        String data = "0x" + input.substring(10);
        List<TypeReference<Type>> types = List.of(
                (TypeReference) new TypeReference<org.web3j.abi.datatypes.generated.Uint256>() { },
                (TypeReference) new TypeReference<Bytes32>() { },
                (TypeReference) new TypeReference<Uint32>() { },
                (TypeReference) new TypeReference<DynamicArray<Uint32>>() { });
        List<Type> v = FunctionReturnDecoder.decode(data, types);
        List<Uint32> shares = ((DynamicArray<Uint32>) v.get(3)).getValue();
        return shares.stream().mapToLong(s -> s.getValue().longValue()).toArray();
    }

    /** JobRules.rewards: {@code pool · (alpha·t_j·10^6/Σt + (10^6 − alpha)·s_j) / 10^12}, each rounded down. */
    static BigInteger[] rewards(BigInteger pool, long alpha, long[] times, long[] shares) {
        BigInteger timeSum = BigInteger.valueOf(Arrays.stream(times).sum());
        BigInteger[] out = new BigInteger[times.length];
        BigInteger million = BigInteger.valueOf(PPM);
        for (int j = 0; j < times.length; j++) {
            BigInteger weight = BigInteger.valueOf(alpha).multiply(BigInteger.valueOf(times[j])).multiply(million)
                    .divide(timeSum);
            if (alpha != PPM) {
                weight = weight.add(BigInteger.valueOf(PPM - alpha).multiply(BigInteger.valueOf(shares[j])));
            }
            out[j] = pool.multiply(weight).divide(million.multiply(million));
        }
        return out;
    }
}
