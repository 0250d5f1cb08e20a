package io.zkpfl.protocol.ipfs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CIDs that Kubo's own test-suite publishes ({@code test/sharness/t0040-add-and-cat.sh} and
 * {@code test/cli/add_test.go}) for small deterministic inputs. {@code \n} in the inputs stands for a newline.
 */
class KuboPublishedCidsTest {

    private static byte[] bytes(String escaped) {
        return escaped.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "ipfs add of \"{0}\" = {1}")
    @CsvSource(delimiter = '|', value = {
            "hello\\n|QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN",
            "''|QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
            "Hello Worlds!\\n|QmVr26fY1tKyspEJBniVhqxQeEjhF78XerGiqWAwraVLQH",
            "Helloo Worlds!\\n|Qmf35k66MZNW2GijohUmXQEWKZU4cCGTCwK6idfnt152wJ",
            "Hello Venus!\\n|QmU5kp3BH3B8tnWUU2Pikdb2maksBNkb92FHRr56hyghh4",
            "Hello Mars!\\n|QmPrrHqJzto9m7SyiRzarwkqPcCSsKR2EB1AyqJfe8L8tN",
            "Hello Jupiter!\\n|QmUnvPcBctVTAcJpigv6KMqDvmDewksPWrNVoy1E1WP5fh",
            "Hello Neptune!\\nHello Pluton!|QmZDhWpi8NvKrekaYYhxKCdNVGWsFFe1CREnAjP1QbPaB3",
            "IPFS\\n|QmdFyxZXsFiP4csgfM5uPu99AvFiKH62CSPDw5TP92nr7w",
            "hello world|Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD",
    })
    void cidV0WithKuboDefaults(String input, String expected) {
        assertEquals(expected, UnixFsImporter.kuboDefaults().cidOf(bytes(input)).toString());
    }

    @ParameterizedTest(name = "ipfs add --cid-version=1 of \"{0}\" = {1}")
    @CsvSource(delimiter = '|', value = {
            "''|bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
            "hello world|bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
            "Hello Mars!\\n|bafkreibmlvvgdyihetgocpof6xk64kjjzdeq2e4c7hqs3krdheosk4tgj4",
            "Hello Venus!\\n|bafkreihfsphazrk2ilejpekyltjeh5k4yvwgjuwg26ueafohqioeo3sdca",
    })
    void cidV1WithRawLeaves(String input, String expected) {
        assertEquals(expected, new UnixFsImporter(ImportOptions.cidV1()).cidOf(bytes(input)).toString());
    }

    @ParameterizedTest(name = "ipfs add --cid-version=1 --raw-leaves=false of \"{0}\" = {1}")
    @CsvSource(delimiter = '|', value = {
            "Hello Mars!\\n|bafybeiawta2ntdmsy24aro35w3homzl4ak7svr3si7l7gesvq4erglyye4",
            "Hello Venus!\\n|bafybeicvkvhs2fr75ynebtdjqpgm4g2fc63abqbmysupwpmcjl4gx7mzrm",
            "hello world|bafybeihykld7uyxzogax6vgyvag42y7464eywpf55gxi5qpoisibh3c5wa",
    })
    void cidV1WithDagPbLeaves(String input, String expected) {
        ImportOptions options = ImportOptions.cidV1().withRawLeaves(false);
        assertEquals(expected, new UnixFsImporter(options).cidOf(bytes(input)).toString());
    }

    @ParameterizedTest(name = "ipfs add --cid-base=base32 of \"{0}\" = {1}")
    @CsvSource(delimiter = '|', value = {
            "base32 test\\n|bafybeibyosqxljd2eptb4ebbtvk7pb4aoxzqa6ttdsflty6rsslz5y6i34",
    })
    void cidV0UpgradedToBase32(String input, String expected) {
        Cid v0 = UnixFsImporter.kuboDefaults().cidOf(bytes(input));
        assertEquals(0, v0.version());
        assertEquals(expected, v0.toV1().toString());
    }
}
