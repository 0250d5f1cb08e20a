package io.zkpfl.devstack.ipfs;

import io.zkpfl.devstack.TempDirs;
import io.zkpfl.protocol.ipfs.Base32Lower;
import io.zkpfl.protocol.ipfs.BlockSink;
import io.zkpfl.protocol.ipfs.BlockSource;
import io.zkpfl.protocol.ipfs.Cid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blocks in a directory, one file per multihash (so a CIDv0 and a CIDv1 of the same bytes share it), plus
 * the set of pinned roots. Writes go through a {@link Batch}: blocks are staged and only moved into place
 * (atomically, one by one) when the whole import succeeded, so a failed upload leaves nothing behind.
 */
final class BlockStore implements BlockSource {

    private final Path blocks;
    private final Path staging;
    private final Path pinsFile;
    private final Set<String> pins = ConcurrentHashMap.newKeySet();

    BlockStore(Path root) {
        this.blocks = root.resolve("blocks");
        this.staging = root.resolve("staging");
        this.pinsFile = root.resolve("pins");
        try {
            Files.createDirectories(blocks);
            Files.createDirectories(staging);
            if (Files.exists(pinsFile)) {
                Files.readAllLines(pinsFile).stream().filter(l -> !l.isBlank()).forEach(pins::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open block store at " + root, e);
        }
    }

    private static String key(Cid cid) {
        return Base32Lower.encode(cid.multihash().toBytes());
    }

    @Override
    public byte[] get(Cid cid) throws IOException {
        try {
            return Files.readAllBytes(blocks.resolve(key(cid)));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    boolean has(Cid cid) {
        return Files.isRegularFile(blocks.resolve(key(cid)));
    }

    long blockCount() throws IOException {
        try (var s = Files.list(blocks)) {
            return s.count();
        }
    }

    /** Records {@code root} as pinned (persisted in the store directory). */
    synchronized void pin(Cid root) throws IOException {
        if (pins.add(root.toV1().toString())) {
            Path tmp = Files.createTempFile(staging, "pins", ".tmp");
            Files.write(tmp, new TreeSet<>(pins));
            move(tmp, pinsFile);
        }
    }

    boolean isPinned(Cid root) {
        return pins.contains(root.toV1().toString());
    }

    /** Starts a staged write. */
    Batch batch() {
        try {
            return new Batch(Files.createTempDirectory(staging, "add"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging directory", e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Blocks of one import, invisible until {@link #commit()}; {@link #close()} discards what is left. */
    final class Batch implements BlockSink, AutoCloseable {
        private final Path dir;
        private final Map<String, Path> staged = new LinkedHashMap<>();

        private Batch(Path dir) {
            this.dir = dir;
        }

        @Override
        public void put(Cid cid, byte[] block) throws IOException {
            String k = key(cid);
            if (staged.containsKey(k) || has(cid)) {
                return;
            }
            Path file = dir.resolve(k);
            Files.write(file, block);
            staged.put(k, file);
        }

        /** Moves every staged block into the store. */
        void commit() throws IOException {
            for (Map.Entry<String, Path> e : staged.entrySet()) {
                move(e.getValue(), blocks.resolve(e.getKey()));
            }
            staged.clear();
        }

        @Override
        public void close() {
            TempDirs.deleteRecursively(dir);
        }
    }
}
