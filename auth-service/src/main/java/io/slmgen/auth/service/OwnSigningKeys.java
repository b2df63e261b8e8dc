package io.slmgen.auth.service;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jose4j.json.JsonUtil;

import io.quarkus.runtime.StartupEvent;
import io.slmgen.shared.jwt.JwtVerifier;

/**
 * With asymmetric signing keys, this service verifies its own tokens like every other service does
 * (through the JWKS). It knows those keys already, so it loads them into its verifier at start instead
 * of waiting for a first fetch of its own /.well-known/jwks.json.
 */
@ApplicationScoped
public class OwnSigningKeys {

    void load(@Observes StartupEvent ev, JwtVerifier verifier, AuthService auth) {
        if (auth.publicKeys().isEmpty()) {
            return;
        }
        verifier.jwks().ifPresent(source -> {
            try {
                source.load(JsonUtil.toJson(Map.of("keys", auth.publicKeys())));
            } catch (Exception e) {
                throw new IllegalStateException("could not load the service's own signing keys", e);
            }
        });
    }
}
