package io.slmgen.shared.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The client address behind proxies: X-Forwarded-For read from the right, trusting only configured proxies. */
class ClientAddressTest {

    private final ClientAddress defaults = new ClientAddress(ClientAddress.DEFAULT_TRUSTED_PROXIES);
    private final ClientAddress gatewayOnly = new ClientAddress("127.0.0.1/32, 10.0.5.0/24");

    @Test
    void aPeerThatIsNotATrustedProxyIsTheClientWhateverTheHeaderSays() {
        assertEquals("203.0.113.9", defaults.resolve("203.0.113.9", List.of("1.1.1.1")));
        assertEquals("203.0.113.9", gatewayOnly.resolve("203.0.113.9", List.of("10.0.5.7, 127.0.0.1")));
    }

    @Test
    void theRightmostUntrustedHopIsTheClientNotTheFirstEntry() {
        // the client wrote "6.6.6.6" itself; the trusted gateway appended the address it saw
        assertEquals("198.51.100.23", gatewayOnly.resolve("127.0.0.1", List.of("6.6.6.6, 198.51.100.23")));
        // two trusted proxies in a row (ingress 10.0.5.3 in front of the gateway)
        assertEquals("198.51.100.23", gatewayOnly.resolve("127.0.0.1", List.of("6.6.6.6, 198.51.100.23, 10.0.5.3")));
        // several header lines count as one list, in order
        assertEquals("198.51.100.23", gatewayOnly.resolve("127.0.0.1", List.of("6.6.6.6", "198.51.100.23", "10.0.5.3")));
    }

    @Test
    void whenEveryHopIsTrustedTheFarthestOneIsTheClient() {
        assertEquals("10.1.0.7", defaults.resolve("127.0.0.1", List.of("10.1.0.7")));
        assertEquals("127.0.0.5", defaults.resolve("127.0.0.1", List.of("127.0.0.5")));
    }

    @Test
    void noHeaderMeansThePeer() {
        assertEquals("127.0.0.1", defaults.resolve("127.0.0.1", List.of()));
        assertEquals("127.0.0.1", defaults.resolve("127.0.0.1", null));
        assertNull(defaults.resolve(null, List.of("1.2.3.4")));
    }

    @Test
    void garbageStopsTheWalkAtTheLastTrustedHop() {
        assertEquals("127.0.0.1", gatewayOnly.resolve("127.0.0.1", List.of("1.2.3.4, unknown")));
        assertEquals("10.0.5.9", gatewayOnly.resolve("127.0.0.1", List.of("evil.example, 10.0.5.9")));
        assertEquals("127.0.0.1", gatewayOnly.resolve("127.0.0.1", List.of("' OR 1=1 --")));
        assertEquals("127.0.0.1", gatewayOnly.resolve("127.0.0.1", List.of("x".repeat(10_000))));
        // empty entries are skipped
        assertEquals("198.51.100.1", gatewayOnly.resolve("127.0.0.1", List.of("198.51.100.1, ,")));
    }

    @Test
    void portsBracketsIpv6AndMappedAddressesAreCanonical() {
        assertEquals("198.51.100.2", gatewayOnly.resolve("127.0.0.1", List.of("198.51.100.2:4711")));
        assertEquals("2001:db8::1", gatewayOnly.resolve("127.0.0.1", List.of("[2001:DB8:0::1]:443")));
        assertEquals("2001:db8::1", gatewayOnly.resolve("127.0.0.1", List.of("2001:db8:0:0:0:0:0:1")));
        assertEquals("198.51.100.3", gatewayOnly.resolve("::ffff:127.0.0.1", List.of("::ffff:198.51.100.3")));
        assertEquals("::1", defaults.resolve("0:0:0:0:0:0:0:1", List.of()));
    }

    @Test
    void canonicalLiteralsOnly() {
        assertEquals("2001:db8::1", ClientAddress.canonical(" 2001:DB8::0:1 "));
        assertEquals("203.0.113.4", ClientAddress.canonical("203.0.113.4"));
        assertNull(ClientAddress.canonical("localhost"));
        assertNull(ClientAddress.canonical(""));
        assertNull(ClientAddress.canonical(null));
    }

    @Test
    void onlyTheLastThirtyTwoHopsAreRead() {
        StringBuilder h = new StringBuilder("198.51.100.77");
        for (int i = 0; i < 40; i++) {
            h.append(", 10.0.5.").append(i % 250);
        }
        // the walk ends inside the trusted hops, 32 entries from the right
        assertEquals("10.0.5.8", gatewayOnly.resolve("127.0.0.1", List.of(h.toString())));
    }

    @Test
    void cidrMatchingByPrefix() {
        ClientAddress c = new ClientAddress("172.16.0.0/12 fc00::/7 192.0.2.128/25");
        assertTrue(c.isTrusted("172.31.255.255"));
        assertFalse(c.isTrusted("172.32.0.1"));
        assertTrue(c.isTrusted("fd12:3456::1"));
        assertFalse(c.isTrusted("fe80::1"));
        assertTrue(c.isTrusted("192.0.2.200"));
        assertFalse(c.isTrusted("192.0.2.127"));
        assertFalse(c.isTrusted("not-an-ip"));
        assertFalse(new ClientAddress("").isTrusted("127.0.0.1"));
    }

    @Test
    void defaultsTrustLoopbackAndPrivateRangesOnly() {
        for (String a : List.of("127.0.0.1", "127.9.9.9", "::1", "10.20.30.40", "172.20.0.3", "192.168.1.1", "fd00::5")) {
            assertTrue(defaults.isTrusted(a), a);
        }
        for (String a : List.of("8.8.8.8", "198.51.100.1", "2001:db8::1", "169.254.1.1", "100.64.0.1")) {
            assertFalse(defaults.isTrusted(a), a);
        }
    }

    @Test
    void networksMatchLikeTheTrustedProxies() {
        var exempt = ClientAddress.networks("127.0.0.1, 2001:db8::/32", "test.setting");
        assertTrue(exempt.test("127.0.0.1"));
        assertFalse(exempt.test("127.0.0.2"));
        assertTrue(exempt.test("2001:db8:1::5"));
        assertFalse(exempt.test(null));
        assertFalse(ClientAddress.networks("", "test.setting").test("127.0.0.1"));
        var e = assertThrows(IllegalArgumentException.class, () -> ClientAddress.networks("nope", "test.setting"));
        assertTrue(e.getMessage().startsWith("test.setting: "), e.getMessage());
    }

    @Test
    void aBadConfigurationFailsLoudly() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress("gateway.local"));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress("10.0.0.0/x"));
    }
}
