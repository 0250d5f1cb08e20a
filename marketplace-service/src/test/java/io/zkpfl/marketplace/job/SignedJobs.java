package io.zkpfl.marketplace.job;

import io.zkpfl.devstack.chain.DevAccounts;
import java.util.Locale;

/**
 * Signed job bodies for harnesses outside this package: a tiny job owned and signed by a dev account, for the
 * deployment that RestAssured's base URI points at (see {@link SignedJob}).
 */
public final class SignedJobs {

    private SignedJobs() {
    }

    /** The JSON body of a tiny job by dev account {@code account} (1-3 hold and approved fee tokens) with {@code nonce}. */
    public static String tiny(int account, long nonce) {
        return SignedJob.tiny(DevAccounts.address(account).toLowerCase(Locale.ROOT), nonce).signedBy(DevAccounts.privateKey(account));
    }
}
