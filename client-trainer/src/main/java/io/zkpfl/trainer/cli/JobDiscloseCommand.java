package io.zkpfl.trainer.cli;

import io.zkpfl.contracts.ChainClient;
import io.zkpfl.contracts.EvaluationClient;
import io.zkpfl.protocol.ipfs.Cid;
import io.zkpfl.protocol.validation.ValidationDisclosure;
import io.zkpfl.trainer.chain.Endpoints;
import io.zkpfl.trainer.chain.TrainerChain;
import io.zkpfl.trainer.round.JobModel;
import io.zkpfl.trainer.round.TrainerException;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code job disclose ID --validation-key-file FILE}: after a job that committed to the owner's sealed validation set
 * has ended, publishes the set's hash and content key on chain (docs/owner.md, ADR 0100), so that anyone can decrypt
 * the set and replay every posted accuracy; an owner that does not disclose in time loses its bond.
 */
@Command(name = "disclose", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Discloses the job's sealed validation set on chain after the job ended.",
        description = {"Reads the key file 'job post --validation' wrote, checks that it opens the commitment the job signed, "
                + "and sends discloseValidation(job, bundleHash, contentKey, cid) from the wallet. After that the committee "
                + "can replay the evaluator's figures ('replay --disclosed' in the reward engine) during the dispute window; "
                + "the bond returns to the owner when it ends ('--release-bond' once the window is over).",
            "Exit 4 with one line, and nothing sent, when the file is for another job or the job has not ended."})
final class JobDiscloseCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    WalletOptions wallet;
    @Mixin
    Endpoints endpoints;
    @Parameters(paramLabel = "ID", description = "the marketplace's job id")
    long id;
    @Option(names = "--validation-key-file", paramLabel = "FILE", required = true,
            description = "the disclosure file 'job post --validation' wrote (mode 0600; it holds the content key)")
    Path keyFile;
    @Option(names = "--release-bond", description = "instead, return the bond to the owner once the dispute window is over")
    boolean releaseBond;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(keyFile)) {
            throw new IllegalArgumentException(keyFile + " is not a file");
        }
        ValidationDisclosure disclosure;
        try {
            disclosure = ValidationDisclosure.read(keyFile);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(keyFile + " is not a validation disclosure file: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        BigInteger chainJob = JobModel.chainJobId(endpoints.marketplace().job(id), id);
        Credentials key = wallet.unlock();
        try (TrainerChain chain = TrainerChain.connect(endpoints, key)) {
            ChainClient client = chain.client();
            byte[] signed = chain.guard("jobParams", () -> client.market().jobParams(chainJob)).validationCommitment;
            if (!Arrays.equals(signed, disclosure.commitment())) {
                throw TrainerException.refused("job " + id + " (chain job " + chainJob + ") signed validation commitment "
                        + Numeric.toHexString(signed) + ", but " + keyFile + " is for " + Numeric.toHexString(disclosure.commitment())
                        + "; nothing was sent");
            }
            EvaluationClient.Evaluation ev = chain.guard("evaluationOf", () -> client.evaluation().evaluation(chainJob));
            if (releaseBond) {
                TransactionReceipt r = chain.send("releaseBond", () -> client.evaluation().releaseBond(chainJob));
                out.println("job " + id + ": the bond of " + Tokens.format(ev.bond()) + " returned to the owner (tx "
                        + r.getTransactionHash() + ")");
            } else if (ev.disclosed()) {
                out.println("job " + id + ": the validation set is already disclosed; the dispute window ends at "
                        + ev.disputeDeadline() + " (unix time)");
            } else {
                byte[] cid = Cid.parse(disclosure.cid()).toBytes();
                TransactionReceipt r = chain.send("discloseValidation", () -> client.evaluation().discloseValidation(chainJob,
                        disclosure.bundleHash(), disclosure.contentKey(), cid));
                out.println("job " + id + ": disclosed validation set " + disclosure.cid() + " (bundle "
                        + Numeric.toHexString(disclosure.bundleHash()) + ") in tx " + r.getTransactionHash() + ", block "
                        + r.getBlockNumber() + "; disputes are open until " + chain.guard("evaluationOf",
                                () -> client.evaluation().evaluation(chainJob)).disputeDeadline() + " (unix time)");
            }
            out.flush();
        }
        return TrainerCli.OK;
    }
}
