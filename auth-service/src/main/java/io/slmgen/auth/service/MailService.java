package io.slmgen.auth.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.slmgen.auth.AuthConfig;
import io.smallrye.mutiny.Uni;

/** The mails GoTrue sends (confirm, magic link, recovery, email change), with links to SUPABASE_URL/auth/v1/verify. */
@ApplicationScoped
public class MailService {

    public enum Kind {
        CONFIRM("signup", "Confirm your signup", "Follow this link to confirm your account:"),
        MAGIC_LINK("magiclink", "Your magic link", "Follow this link to sign in:"),
        RECOVERY("recovery", "Reset your password", "Follow this link to reset the password for your account:"),
        EMAIL_CHANGE("email_change", "Confirm your new email", "Follow this link to confirm the change of your email address:"),
        EMAIL_CHANGE_CURRENT("email_change", "Confirm the change of your email address",
                "Someone asked to move your account to another email address. If it was you, follow this link to confirm:");

        final String type;
        final String subject;
        final String lead;

        Kind(String type, String subject, String lead) {
            this.type = type;
            this.subject = subject;
            this.lead = lead;
        }

        public String type() {
            return type;
        }
    }

    @Inject
    ReactiveMailer mailer;
    @Inject
    AuthConfig config;

    public String link(Kind kind, String token, String redirectTo) {
        return trimSlash(config.siteUrl()) + "/auth/v1/verify?token=" + enc(token) + "&type=" + kind.type
                + "&redirect_to=" + enc(redirectTo);
    }

    /** Sends the mail; a failure is a 500 the caller's transaction rolls back on (no half-made user). */
    public Uni<Void> send(Kind kind, String to, String token, String otp, String redirectTo) {
        String link = link(kind, token, redirectTo);
        String text = kind.lead + "\n\n" + link + "\n\nOr enter this code: " + otp + "\n";
        String html = "<h2>" + kind.subject + "</h2><p>" + kind.lead + "</p><p><a href=\"" + escape(link) + "\">"
                + escape(link) + "</a></p><p>Or enter this code: <strong>" + otp + "</strong></p>";
        return mailer.send(Mail.withHtml(to, kind.subject, html).setText(text).setFrom(config.mail().from()))
                .onFailure().transform(t -> GoTrueError.EMAIL_SEND_FAILED.exception(
                        "Error sending " + kind.type + " email"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
