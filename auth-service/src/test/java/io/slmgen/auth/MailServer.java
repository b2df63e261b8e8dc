package io.slmgen.auth;

import static io.slmgen.auth.AuthTestSupport.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.response.Response;

/**
 * A real SMTP server in the test JVM (GreenMail) on a free port; quarkus-mailer sends to it over SMTP
 * (mock off, no TLS, no login). Tests read the received MIME messages and follow the links in them.
 */
public class MailServer implements QuarkusTestResourceLifecycleManager {

    static final String SITE_URL = "http://127.0.0.1:8080";
    private static final Pattern VERIFY_LINK = Pattern.compile(Pattern.quote(SITE_URL) + "/auth/v1/verify\\?[^\\s\"<]+");

    static GreenMail server;

    @Override
    public Map<String, String> start() {
        server = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return Map.of(
                "quarkus.mailer.mock", "false",
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(server.getSmtp().getPort()),
                "quarkus.mailer.start-tls", "DISABLED",
                "quarkus.mailer.tls", "false",
                "quarkus.mailer.login", "DISABLED",
                "auth.site-url", SITE_URL);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void clear() {
        try {
            server.purgeEmailFromAllMailboxes();
        } catch (com.icegreen.greenmail.store.FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The messages received for an address, oldest first. */
    static List<MimeMessage> to(String address) {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : server.getReceivedMessages()) {
            try {
                if (Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().contains(address))) {
                    out.add(m);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    static int total() {
        return server.getReceivedMessages().length;
    }

    /** The n-th message to the address (waits briefly for it to arrive). */
    static MimeMessage message(String address, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<MimeMessage> got = to(address);
        while (got.size() <= n && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            got = to(address);
        }
        if (got.size() <= n) {
            throw new AssertionError("no mail #" + n + " for " + address + " (got " + got.size() + ")");
        }
        return got.get(n);
    }

    /** The text/plain part of a message. */
    static String text(MimeMessage m) {
        return part(m, "text/plain");
    }

    static String html(MimeMessage m) {
        return part(m, "text/html");
    }

    private static String part(MimeMessage m, String type) {
        try {
            Object content = m.getContent();
            if (content instanceof String s) {
                return m.isMimeType(type) ? s : null;
            }
            return find((Multipart) content, type);
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String find(Multipart mp, String type) throws MessagingException, IOException {
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart p = mp.getBodyPart(i);
            if (p.isMimeType(type)) {
                return (String) p.getContent();
            }
            if (p.getContent() instanceof Multipart inner) {
                String s = find(inner, type);
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    /** The verify link in the n-th message's text. */
    static String link(String address, int n) {
        String text = text(message(address, n));
        Matcher m = VERIFY_LINK.matcher(text == null ? "" : text);
        if (!m.find()) {
            throw new AssertionError("no verify link in: " + text);
        }
        return m.group();
    }

    /** The link's query parameters, decoded. */
    static Map<String, String> query(String link) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(link).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * Follows a link from a mail as a browser would through the gateway at SITE_URL: the same path and query
     * against this service; the 303 is returned, not followed.
     */
    static Response follow(String link) {
        if (!link.startsWith(SITE_URL + "/")) {
            throw new AssertionError("link outside the site: " + link);
        }
        return client().redirects().follow(false).queryParams(query(link)).get(URI.create(link).getPath());
    }
}
