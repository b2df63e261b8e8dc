package io.slmgen.shared.identity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The address of the client at the other end of a request, for per-IP limits and session records.
 * {@code X-Forwarded-For} is read from the right: each hop was appended by the proxy in front of the
 * previous one, so only hops added by proxies we trust are believed. Starting from the socket peer, while
 * the address at hand is a trusted proxy the next entry to its left is taken; the first untrusted address
 * is the client. A client can therefore put anything at the left of the header without choosing its
 * address (the old rule, "first entry wins", let it). Trusted proxies are CIDRs from
 * {@code slmgen.trusted-proxies} (env {@code SLMGEN_TRUSTED_PROXIES}); the default is loopback (the gateway
 * of a local run) and the private ranges in which the gateway runs under compose and Kubernetes.
 * Literal addresses only: no name is ever looked up.
 */
@Singleton
public class ClientAddress {

    public static final String CONFIG_KEY = "slmgen.trusted-proxies";
    public static final String DEFAULT_TRUSTED_PROXIES =
            "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";
    /** Hops considered at most, from the right: bounds the work a long header can cause. */
    static final int MAX_HOPS = 32;

    private final List<Cidr> trusted;

    @Inject
    public ClientAddress(@ConfigProperty(name = CONFIG_KEY, defaultValue = DEFAULT_TRUSTED_PROXIES) String trustedProxies) {
        this.trusted = parseList(trustedProxies, CONFIG_KEY);
    }

    /**
     * Membership in a list of networks written like the trusted proxies (CIDRs or single addresses,
     * separated by commas or spaces), e.g. addresses exempt from a limit; {@code setting} names the list
     * in the error a malformed entry raises.
     */
    public static Predicate<String> networks(String cidrs, String setting) {
        List<Cidr> list = parseList(cidrs, setting);
        return address -> {
            byte[] a = parse(address);
            return a != null && list.stream().anyMatch(c -> c.contains(a));
        };
    }

    /** From the configuration of the running application (outside CDI). */
    public static ClientAddress fromConfig() {
        return new ClientAddress(ConfigProvider.getConfig().getOptionalValue(CONFIG_KEY, String.class)
                .orElse(DEFAULT_TRUSTED_PROXIES));
    }

    /** The client of a Vert.x request: its socket peer and every X-Forwarded-For header, in order. */
    public String of(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        return resolve(peer == null ? null : peer.hostAddress(), request.headers().getAll("X-Forwarded-For"));
    }

    /**
     * The client address, canonical (e.g. {@code 2001:db8::1}); the peer as given when it is not an IP
     * literal; null when there is no peer.
     */
    public String resolve(String peer, List<String> forwardedFor) {
        byte[] current = parse(peer);
        if (current == null) {
            return peer == null || peer.isBlank() ? null : peer;
        }
        if (!isTrusted(current) || forwardedFor == null || forwardedFor.isEmpty()) {
            return NetUtil.bytesToIpAddress(current);
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            if (header != null) {
                hops.addAll(Arrays.asList(header.split(",")));
            }
        }
        int stop = Math.max(0, hops.size() - MAX_HOPS);
        for (int i = hops.size() - 1; i >= stop; i--) {
            String hop = hops.get(i).strip();
            if (hop.isEmpty()) {
                continue;
            }
            byte[] next = parse(hop);
            if (next == null) {
                // garbage written by (or before) the last proxy we trust: nothing further left is believable
                break;
            }
            current = next;
            if (!isTrusted(current)) {
                break;
            }
        }
        return NetUtil.bytesToIpAddress(current);
    }

    /** An IP literal in canonical form (as {@link #resolve} answers), or null when the text is not one. */
    public static String canonical(String text) {
        byte[] a = parse(text);
        return a == null ? null : NetUtil.bytesToIpAddress(a);
    }

    /** Whether an address (IP literal) is one of the trusted proxies. */
    public boolean isTrusted(String address) {
        byte[] a = parse(address);
        return a != null && isTrusted(a);
    }

    private boolean isTrusted(byte[] address) {
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An IP literal from a header or socket: {@code 1.2.3.4}, {@code 1.2.3.4:port}, {@code 2001:db8::1},
     * {@code [2001:db8::1]:port}, IPv4-mapped IPv6 as IPv4. Null for anything else ("unknown", names).
     */
    static byte[] parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.isEmpty() || s.length() > 64) {
            return null;
        }
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                return null;
            }
            s = s.substring(1, end);
        } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':') && s.indexOf('.') > 0) {
            s = s.substring(0, s.indexOf(':'));
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(s);
        if (bytes == null) {
            return null;
        }
        if (bytes.length == 16 && isV4Mapped(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    static List<Cidr> parseList(String list, String setting) {
        List<Cidr> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        for (String item : list.split("[,\\s]+")) {
            if (!item.isBlank()) {
                out.add(Cidr.parse(item.strip(), setting));
            }
        }
        return List.copyOf(out);
    }

    /** A network: address bytes and prefix length. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text, String setting) {
            int slash = text.indexOf('/');
            String addr = slash < 0 ? text : text.substring(0, slash);
            byte[] net = NetUtil.createByteArrayFromIpAddressString(addr);
            if (net == null) {
                throw new IllegalArgumentException(setting + ": '" + text + "' is not an IP address or CIDR");
            }
            if (net.length == 16 && isV4Mapped(net)) {
                net = Arrays.copyOfRange(net, 12, 16);
            }
            int max = net.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(setting + ": bad prefix length in '" + text + "'");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(setting + ": prefix length out of range in '" + text + "'");
            }
            return new Cidr(net, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return NetUtil.bytesToIpAddress(network).toLowerCase(Locale.ROOT) + "/" + prefix;
        }
    }
}
