package io.zkpfl.marketplace.job;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * What an owner signs for a job: the EIP-712 typed data ({@code eth_signTypedData_v4} JSON), with what the service
 * derived. Wallets should show {@code typedData}; a client may check {@code digest} against its own encoder.
 *
 * @param typedData the typed data to sign (domain {@code zkPFL JobMarket}, primary type {@code JobParams})
 * @param digest    the EIP-712 digest of {@code typedData}: the job's identity once posted
 * @param manifest  the canonical job manifest; {@code modelHash} = keccak-256 of its UTF-8 bytes
 * @param modelHash keccak-256 of the manifest
 * @param bucket    the size bucket {@code D}
 */
public record TypedDataView(@JsonRawValue String typedData, String digest, @JsonRawValue String manifest, String modelHash,
                            long bucket) {

    static TypedDataView of(JobService.Prepared p, String typedData) {
        return new TypedDataView(typedData, p.digestHex(), p.manifest().json(), JobService.hex(p.params().modelHash),
                p.params().bucket.longValueExact());
    }
}
