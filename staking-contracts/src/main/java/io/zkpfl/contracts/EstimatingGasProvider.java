package io.zkpfl.contracts;

import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.tx.gas.ContractGasProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;

/**
 * Gas provider that asks the node: {@code eth_gasPrice} for the price and {@code eth_estimateGas} (plus a
 * 20% margin and {@link #HEADROOM}, capped at {@code maxGas}) for each transaction's limit. The estimate is taken on
 * the state before the transaction is mined; a transaction mined after others of the same block can take a dearer
 * path (a commit that is not its round's first reads and decompresses the running sums; the last one closes the
 * commit window), hence the fixed headroom: a limit costs nothing unless the gas is used. A transaction that would revert fails
 * here, before it is signed, with a {@link ChainRevertException} carrying the decoded reason.
 */
public final class EstimatingGasProvider implements ContractGasProvider {

    /** Gas added to every limit beyond the 20% margin. */
    public static final BigInteger HEADROOM = BigInteger.valueOf(40_000);

    private final Web3j web3j;
    private final BigInteger maxGas;

    public EstimatingGasProvider(Web3j web3j, BigInteger maxGas) {
        this.web3j = web3j;
        this.maxGas = maxGas;
    }

    @Override
    public BigInteger getGasLimit(Transaction transaction) {
        try {
            EthEstimateGas estimate = web3j.ethEstimateGas(transaction).send();
            if (estimate.hasError()) {
                Object data = estimate.getError().getData();
                RevertReason reason = data == null ? new RevertReason("Error", java.util.List.of(estimate.getError().getMessage()))
                        : RevertReason.decode(data.toString().replace("\"", ""));
                throw new ChainRevertException("transaction", reason);
            }
            BigInteger withMargin = estimate.getAmountUsed().multiply(BigInteger.valueOf(12)).divide(BigInteger.TEN)
                    .add(HEADROOM);
            return withMargin.min(maxGas);
        } catch (IOException e) {
            throw new UncheckedIOException("eth_estimateGas failed", e);
        }
    }

    @Override
    public BigInteger getGasPrice() {
        try {
            return web3j.ethGasPrice().send().getGasPrice();
        } catch (IOException e) {
            throw new UncheckedIOException("eth_gasPrice failed", e);
        }
    }

    @Override
    public BigInteger getGasLimit() {
        return maxGas;
    }
}
