package io.slmgen.auth.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a verified one-time token leads to: a session; with PKCE, an auth code for the redirect; or, for the first
 * half of a secure email change, GoTrue's message that the other address still has to confirm.
 */
public sealed interface VerifyResult permits GoTrueSession, VerifyResult.AuthCode, VerifyResult.OtherAddressPending {

    /** PKCE: the redirect carries {@code ?code=}, exchanged by the client that holds the verifier. */
    record AuthCode(String code) implements VerifyResult {
    }

    /** GoTrue's answer when one of the two addresses of a secure email change has confirmed. */
    @JsonPropertyOrder({"msg", "code"})
    record OtherAddressPending(String msg, String code) implements VerifyResult {
    }
}
