package io.slmgen.shared.identity;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.slmgen.shared.jwt.SecretPolicy;

/**
 * The start-up half of the key policy (SPEC §11). {@link SecretPolicyCheck} has already refused bad keys
 * while the configuration was built; here, with logging up, a start that was only allowed by
 * SLMGEN_ALLOW_DEMO_SECRET says so loudly, and SUPABASE_SERVICE_KEY, when set, is checked before any
 * request uses it. Runs before every other start-up observer (migrations, sweepers).
 */
@ApplicationScoped
public class SecretPolicyAtStart {

    private static final Logger LOG = Logger.getLogger(SecretPolicyAtStart.class);

    void onStart(@Observes @Priority(1) StartupEvent event, SharedConfig config) {
        SharedConfig.Jwt jwt = config.jwt();
        // the example secret that SecretPolicyCheck supplied counts as "not set" in the warning
        String source = ConfigProvider.getConfig().getConfigValue("SUPABASE_JWT_SECRET").getSourceName();
        boolean supplied = source != null && source.contains(SecretPolicyCheck.SUPPLIED_SOURCE);
        SecretPolicy.Verdict verdict = SecretPolicy.check(supplied ? Optional.empty() : jwt.secret(),
                jwt.jwksUrl().map(Object::toString), jwt.allowDemoSecret(), jwt.secretRequiredFor());
        if (verdict instanceof SecretPolicy.Refused refused) {
            // only reachable if the configuration changed between the two checks; never start on it
            throw new IllegalStateException(refused.message());
        }
        if (verdict instanceof SecretPolicy.Warned warned) {
            String bar = "*".repeat(100);
            LOG.warn("\n" + bar + "\n" + warned.message() + "\n" + bar);
        }
        Optional<String> serviceKey = config.serviceKey().map(String::trim).filter(s -> !s.isEmpty());
        if (serviceKey.isPresent()) {
            SecretPolicy.serviceKeyProblem(serviceKey.get(), jwt.secret()).ifPresent(problem -> {
                throw new IllegalStateException("Refusing to start: " + problem);
            });
        }
    }
}
