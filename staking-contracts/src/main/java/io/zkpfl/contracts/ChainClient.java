package io.zkpfl.contracts;

import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * One signer's view of one deployment of the zkPFL contracts: the entry point that hands out one typed client per
 * contract over the generated web3j wrappers ({@link #token()}, {@link #staking()}, {@link #market()} and
 * {@link #evaluation()} on the market's address) and the one decoder of market logs ({@link #events()}). They share
 * one send/call path: a failed transaction throws {@link ChainRevertException} with the decoded revert reason.
 * Instances are immutable; {@link #as} gives a client for another signer. Deployment is {@link PlatformDeployer}'s.
 */
public final class ChainClient {

    private final ChainCalls calls;
    private final TokenClient token;
    private final StakingClient staking;
    private final MarketClient market;
    private final EvaluationClient evaluation;
    private final MarketEvents events;

    /** A client with injected transaction manager and gas provider, sending from {@code from}. */
    public ChainClient(Web3j web3j, long chainId, String from, TransactionManager transactions,
                       ContractGasProvider gas, PlatformAddresses addresses) {
        this.calls = new ChainCalls(web3j, chainId, from, transactions, gas, addresses);
        this.token = new TokenClient(calls);
        this.staking = new StakingClient(calls, token);
        this.market = new MarketClient(calls);
        this.evaluation = new EvaluationClient(calls);
        this.events = new MarketEvents(calls, market);
    }

    /** A client signing with {@code credentials} (raw transactions, estimated gas, fast receipt polling). */
    public static ChainClient connect(Web3j web3j, long chainId, Credentials credentials, PlatformAddresses addresses) {
        return new ChainClient(web3j, chainId, credentials.getAddress(),
                ChainCalls.transactionManager(web3j, chainId, credentials), ChainCalls.estimatingGas(web3j), addresses);
    }

    /** The same deployment seen by another signer. */
    public ChainClient as(Credentials credentials) {
        return connect(calls.web3j(), calls.chainId(), credentials, calls.addresses());
    }

    public PlatformAddresses addresses() {
        return calls.addresses();
    }

    /** The signer's address. */
    public String address() {
        return calls.from();
    }

    public long chainId() {
        return calls.chainId();
    }

    public Web3j web3j() {
        return calls.web3j();
    }

    /** ERC-20 calls: the platform token and any allow-listed fee token. */
    public TokenClient token() {
        return token;
    }

    /** The staking registry. */
    public StakingClient staking() {
        return staking;
    }

    /** The job market and the round steps it delegates. */
    public MarketClient market() {
        return market;
    }

    /** The market's accountable-evaluation terms: economics, disclosure, disputes, the owner's bond. */
    public EvaluationClient evaluation() {
        return evaluation;
    }

    /** The market's events. */
    public MarketEvents events() {
        return events;
    }
}
