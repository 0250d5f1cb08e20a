package io.zkpfl.contracts;

import io.zkpfl.contracts.generated.PlatformToken;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The one send/call path the typed clients share: one signer's connection (node, chain id, transaction manager, gas
 * provider, deployment) and the translation of a failed transaction into {@link ChainRevertException} with the decoded
 * revert reason.
 */
record ChainCalls(Web3j web3j, long chainId, String from, TransactionManager transactions, ContractGasProvider gas,
                  PlatformAddresses addresses) {

    static final BigInteger MAX_GAS = BigInteger.valueOf(25_000_000);

    static TransactionManager transactionManager(Web3j web3j, long chainId, Credentials credentials) {
        return new RawTransactionManager(web3j, credentials, chainId,
                new PollingTransactionReceiptProcessor(web3j, 50, 2_400));
    }

    static ContractGasProvider estimatingGas(Web3j web3j) {
        return new EstimatingGasProvider(web3j, MAX_GAS);
    }

    /** The ERC-20 at {@code address} (any allow-listed fee token speaks the same interface as the platform token). */
    PlatformToken erc20(String address) {
        return PlatformToken.load(address, web3j, transactions, gas);
    }

    /** Sends {@code call}; a revert becomes {@link ChainRevertException} naming {@code operation}. */
    static TransactionReceipt send(String operation, RemoteFunctionCall<TransactionReceipt> call) {
        try {
            return call.send();
        } catch (ChainRevertException e) {
            throw new ChainRevertException(operation, e.reason());
        } catch (TransactionException e) {
            RevertReason reason = e.getEncodedDataResponse().map(RevertReason::decode)
                    .orElseGet(() -> new RevertReason("Failed", List.of(String.valueOf(e.getMessage()))));
            throw new ChainRevertException(operation, reason);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(operation + " failed: " + e.getMessage(), e);
        }
    }

    /** Calls view {@code call}. */
    static <T> T call(String operation, RemoteFunctionCall<T> call) {
        try {
            return call.send();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(operation + " failed: " + e.getMessage(), e);
        }
    }

    /** uint256[] as decoded by the wrappers (BigInteger or Uint256 elements). */
    @SuppressWarnings("rawtypes")
    static List<BigInteger> words(List raw) {
        List<BigInteger> out = new ArrayList<>();
        for (Object o : raw) {
            out.add(o instanceof BigInteger b ? b : (BigInteger) ((org.web3j.abi.datatypes.Type<?>) o).getValue());
        }
        return out;
    }

    /** address[] as decoded by the wrappers (String or Address elements). */
    @SuppressWarnings("rawtypes")
    static List<String> addressesOf(List raw) {
        List<String> out = new ArrayList<>();
        for (Object o : raw) {
            out.add(o instanceof String s ? s : ((org.web3j.abi.datatypes.Address) o).getValue());
        }
        return out;
    }
}
