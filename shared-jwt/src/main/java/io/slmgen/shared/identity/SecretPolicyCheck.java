package io.slmgen.shared.identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ExecutionMode;
import io.slmgen.shared.jwt.SecretPolicy;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Applies {@link SecretPolicy} while the configuration is being built, before any bean, config mapping
 * or injection point reads a key: a refused configuration stops the start with the policy's message
 * (naming SUPABASE_JWT_SECRET) instead of a generic "property missing" error from whichever class asked
 * first. Registered through {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}; Quarkus
 * runs such factories when the application starts, not during the build.
 */
public class SecretPolicyCheck implements ConfigSourceFactory {

    static final String SECRET = "slmgen.jwt.secret";
    static final String JWKS_URL = "slmgen.jwt.jwks-url";
    static final String ALLOW_DEMO = "slmgen.jwt.allow-demo-secret";
    /** Set by a service that signs with the secret itself (not only verifies): the purpose, for the message. */
    static final String REQUIRED_FOR = "slmgen.jwt.secret-required-for";
    /** The config source that carries the example secret when SLMGEN_ALLOW_DEMO_SECRET=true and no key is given. */
    static final String SUPPLIED_SOURCE = "slmgen-local-demo-secret";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (ExecutionMode.current() == ExecutionMode.UNSET) {
            // the build (Quarkus reads the configuration while augmenting): the keys are the running
            // service's business, and a build machine rightly has none
            return List.of();
        }
        Optional<String> secret = value(context, SECRET).or(() -> value(context, "SUPABASE_JWT_SECRET"));
        Optional<String> jwks = value(context, JWKS_URL).or(() -> value(context, "SUPABASE_JWKS_URL"));
        boolean allow = value(context, ALLOW_DEMO).or(() -> value(context, SecretPolicy.ALLOW_FLAG))
                .map(v -> v.trim().equalsIgnoreCase("true")).orElse(false);
        SecretPolicy.Verdict verdict = SecretPolicy.check(secret, jwks, allow, value(context, REQUIRED_FOR));
        if (verdict instanceof SecretPolicy.Refused refused) {
            // logging is not configured yet: one plain line on stderr before Quarkus prints the stack trace
            System.err.println("ERROR " + refused.message());
            throw new IllegalStateException(refused.message());
        }
        if (secret.isEmpty() && jwks.isEmpty() && allow) {
            // the operator asked for a local, insecure suite and gave no keys at all: use the CLI's example
            // secret (SecretPolicyAtStart logs the warning); below every real source
            return List.of(new PropertiesConfigSource(Map.of("SUPABASE_JWT_SECRET", SecretPolicy.PUBLIC_DEMO_SECRETS.get(0)),
                    SUPPLIED_SOURCE, 1));
        }
        return List.of();
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return Optional.ofNullable(v == null ? null : v.getValue()).filter(s -> !s.isBlank());
    }
}
