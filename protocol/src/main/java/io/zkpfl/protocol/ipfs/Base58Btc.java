package io.zkpfl.protocol.ipfs;

import java.util.Arrays;

/** The Bitcoin base58 alphabet encoding used for CIDv0 and the {@code z} multibase. */
public final class Base58Btc {

    private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final int[] INDEXES = new int[128];

    static {
        Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEXES[ALPHABET[i]] = i;
        }
    }

    private Base58Btc() {
    }

    /** Encodes bytes; each leading zero byte becomes a leading {@code 1}. */
    public static String encode(byte[] input) {
        if (input.length == 0) {
            return "";
        }
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) {
            zeros++;
        }
        byte[] num = Arrays.copyOf(input, input.length);
        char[] out = new char[input.length * 2];
        int outStart = out.length;
        int start = zeros;
        while (start < num.length) {
            int remainder = 0;
            for (int i = start; i < num.length; i++) {
                int digit = (num[i] & 0xff) + remainder * 256;
                num[i] = (byte) (digit / 58);
                remainder = digit % 58;
            }
            out[--outStart] = ALPHABET[remainder];
            while (start < num.length && num[start] == 0) {
                start++;
            }
        }
        while (zeros-- > 0) {
            out[--outStart] = ALPHABET[0];
        }
        return new String(out, outStart, out.length - outStart);
    }

    /**
     * Decodes a base58btc string.
     *
     * @throws IllegalArgumentException on a character outside the alphabet
     */
    public static byte[] decode(String input) {
        if (input.isEmpty()) {
            return new byte[0];
        }
        byte[] input58 = new byte[input.length()];
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            int digit = c < 128 ? INDEXES[c] : -1;
            if (digit < 0) {
                throw new IllegalArgumentException("invalid base58 character at index " + i);
            }
            input58[i] = (byte) digit;
        }
        int zeros = 0;
        while (zeros < input58.length && input58[zeros] == 0) {
            zeros++;
        }
        byte[] decoded = new byte[input.length()];
        int outStart = decoded.length;
        int start = zeros;
        while (start < input58.length) {
            int remainder = 0;
            for (int i = start; i < input58.length; i++) {
                int digit = (input58[i] & 0xff) + remainder * 58;
                input58[i] = (byte) (digit / 256);
                remainder = digit % 256;
            }
            decoded[--outStart] = (byte) remainder;
            while (start < input58.length && input58[start] == 0) {
                start++;
            }
        }
        while (outStart < decoded.length && decoded[outStart] == 0) {
            outStart++;
        }
        byte[] result = new byte[zeros + decoded.length - outStart];
        System.arraycopy(decoded, outStart, result, zeros, decoded.length - outStart);
        return result;
    }
}
