package io.zkpfl.contracts;

/** Addresses of one deployment of the zkPFL contracts. */
public record PlatformAddresses(String token, String registry, String certifier, String market) {
}
