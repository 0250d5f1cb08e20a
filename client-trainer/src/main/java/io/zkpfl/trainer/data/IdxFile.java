package io.zkpfl.trainer.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST: magic {@code 00 00 08 n} (unsigned bytes, {@code n}
 * dimensions), {@code n} big-endian int32 sizes, then the data. Files may be gzipped; a name ending
 * in {@code .gz} is written gzipped.
 */
public final class IdxFile {

    /** Largest payload accepted, in bytes (enough for 1M images of 28x28). */
    public static final long MAX_PAYLOAD = 1L << 30;
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxFile() {
    }

    /** Reads an {@code idx3-ubyte} file of images: {@code [count, rows, cols]}. */
    public static Images readImages(Path file) {
        Payload p = read(file, 3);
        return new Images(p.dims[1], p.dims[2], p.data);
    }

    /** Reads an {@code idx1-ubyte} file of labels. */
    public static byte[] readLabels(Path file) {
        return read(file, 1).data;
    }

    /** Writes images as {@code idx3-ubyte}, gzipped when the name ends in {@code .gz}. */
    public static void writeImages(Path file, int count, int rows, int cols, byte[] pixels) throws IOException {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixel array does not hold " + count + " images of " + rows + "x" + cols);
        }
        write(file, new int[] {count, rows, cols}, pixels);
    }

    /** Writes labels as {@code idx1-ubyte}, gzipped when the name ends in {@code .gz}. */
    public static void writeLabels(Path file, byte[] labels) throws IOException {
        write(file, new int[] {labels.length}, labels);
    }

    /** The pixels of an images file. */
    public record Images(int rows, int cols, byte[] pixels) {
        /** Number of images. */
        public int count() {
            return pixels.length / (rows * cols);
        }
    }

    private record Payload(int[] dims, byte[] data) {
    }

    private static void write(Path file, int[] dims, byte[] data) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (OutputStream raw = Files.newOutputStream(tmp);
             OutputStream maybeGz = file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw;
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(maybeGz, 1 << 16))) {
            out.writeByte(0);
            out.writeByte(0);
            out.writeByte(UNSIGNED_BYTE);
            out.writeByte(dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static Payload read(Path file, int expectedDims) {
        String name = file.getFileName().toString();
        try (InputStream in = open(file)) {
            byte[] header = in.readNBytes(4);
            if (header.length < 4 || header[0] != 0 || header[1] != 0) {
                throw new DatasetException(file + " is not an IDX file (bad magic number)");
            }
            if (header[2] != UNSIGNED_BYTE) {
                throw new DatasetException(file + ": only unsigned-byte IDX data (type 0x08) is supported, got 0x"
                        + Integer.toHexString(header[2] & 0xff));
            }
            if (header[3] != expectedDims) {
                throw new DatasetException(file + ": expected " + expectedDims + " dimension(s) ("
                        + (expectedDims == 3 ? "images" : "labels") + "), got " + header[3]);
            }
            byte[] dimBytes = in.readNBytes(4 * expectedDims);
            if (dimBytes.length < 4 * expectedDims) {
                throw new DatasetException(file + ": truncated IDX header");
            }
            int[] dims = new int[expectedDims];
            long size = 1;
            for (int i = 0; i < expectedDims; i++) {
                dims[i] = ((dimBytes[4 * i] & 0xff) << 24) | ((dimBytes[4 * i + 1] & 0xff) << 16)
                        | ((dimBytes[4 * i + 2] & 0xff) << 8) | (dimBytes[4 * i + 3] & 0xff);
                if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
                    throw new DatasetException(file + ": dimension " + i + " has invalid size " + dims[i]);
                }
                size *= dims[i];
                if (size > MAX_PAYLOAD) {
                    throw new DatasetException(file + ": declares more than " + MAX_PAYLOAD + " bytes of data");
                }
            }
            byte[] data = in.readNBytes((int) size);
            if (data.length < size) {
                throw new DatasetException(file + ": truncated, header declares " + size + " bytes of data but only " + data.length + " follow");
            }
            if (in.read() != -1) {
                throw new DatasetException(file + ": trailing bytes after the " + size + " declared by the header");
            }
            return new Payload(dims, data);
        } catch (NoSuchFileException e) {
            throw new DatasetException("missing file " + name + " (" + file + ")", e);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new DatasetException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }
}
