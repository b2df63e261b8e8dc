package io.slmgen.shared.jwt;

import java.security.Security;
import java.util.logging.Logger;

import org.jose4j.jca.ProviderContext;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * Which JCA provider checks ES256 and RS256 signatures. JDK 17's P-256 ECDSA is pure Java and costs
 * about a millisecond per verification (bench/jmh), which every new token signed with a hosted
 * Supabase project's asymmetric keys pays; AWS-LC through the Amazon Corretto Crypto Provider does the
 * same in about 55 µs. The provider is only used when its native library loads and passes its own
 * self-tests on this platform, and only for signature verification (it is appended to the provider
 * list, so nothing else in the process changes providers). Otherwise - or with
 * {@code slmgen.jwt.native-crypto=false} (system property) / {@code SLMGEN_JWT_NATIVE_CRYPTO=false} -
 * the JDK's providers verify, as before.
 */
public final class NativeSignatures {

    private static final Logger LOG = Logger.getLogger(NativeSignatures.class.getName());
    private static volatile ProviderContext context;

    private NativeSignatures() {
    }

    /** The provider context for jose4j's signature verification (default providers when native is off). */
    public static ProviderContext context() {
        ProviderContext c = context;
        if (c == null) {
            synchronized (NativeSignatures.class) {
                c = context;
                if (c == null) {
                    c = create(enabledByConfig());
                    context = c;
                }
            }
        }
        return c;
    }

    static boolean enabledByConfig() {
        String value = System.getProperty("slmgen.jwt.native-crypto", System.getenv("SLMGEN_JWT_NATIVE_CRYPTO"));
        return value == null || !value.trim().equalsIgnoreCase("false");
    }

    static ProviderContext create(boolean enabled) {
        ProviderContext c = new ProviderContext();
        if (!enabled) {
            return c;
        }
        try {
            c.getSuppliedKeyProviderContext().setSignatureProvider(Accp.register());
        } catch (Throwable e) { // LinkageError without the jar, its library not loading, or a failed self-test
            LOG.info("native signature verification unavailable (" + e + "): using the JDK's providers");
        }
        return c;
    }

    /** Only loaded inside the try above, so a missing jar surfaces there as a LinkageError. */
    private static final class Accp {

        /** Registers the provider (last in the list) and returns its name; throws when it cannot run here. */
        static String register() {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() != null) {
                throw new IllegalStateException(accp.getLoadingError().getMessage());
            }
            accp.assertHealthy();
            if (Security.getProvider(accp.getName()) == null) {
                Security.addProvider(accp);
            }
            return accp.getName();
        }
    }
}
