package io.slmgen.shared.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.slmgen.shared.jwt.JwtSettings;
import io.slmgen.shared.jwt.JwtVerifier;

/** One verifier per service, built from {@link SharedConfig}. */
public class VerifierProducer {

    @Produces
    @ApplicationScoped
    JwtVerifier verifier(SharedConfig config) {
        SharedConfig.Jwt jwt = config.jwt();
        return new JwtVerifier(new JwtSettings(jwt.secret(), jwt.jwksUrl(), jwt.leeway(), jwt.jwksMinRefresh(),
                jwt.jwksMaxAge(), jwt.maxTokenLength(), jwt.cacheTtl(), jwt.cacheSize()));
    }
}
