package io.slmgen.auth.service;

/** Who is on the other end of the request: for rate limits and the session row. */
public record ClientInfo(String ip, String userAgent) {
}
