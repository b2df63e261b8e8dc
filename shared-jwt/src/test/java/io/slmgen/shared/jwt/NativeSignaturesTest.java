package io.slmgen.shared.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.UUID;

import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.slmgen.shared.testing.TokenMinter;

class NativeSignaturesTest {

    private static final EllipticCurveJsonWebKey EC = TokenMinter.newEcKey("ec-native");
    private static final RsaJsonWebKey RSA = TokenMinter.newRsaKey("rsa-native");

    @Test
    void theNativeProviderVerifiesOnLinuxX86() {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64"), "the bundled library is linux-x86_64");
        assertEquals("AmazonCorrettoCryptoProvider", NativeSignatures.create(true).getSuppliedKeyProviderContext()
                .getSignatureProvider());
    }

    @Test
    void switchedOffItLeavesTheJdkProviders() {
        assertNull(NativeSignatures.create(false).getSuppliedKeyProviderContext().getSignatureProvider());
    }

    @Test
    void nativeAndJdkProvidersAgreeOnGoodAndBadSignatures() throws Exception {
        Map<String, Object> claims = TokenMinter.userClaims(UUID.randomUUID(), "native@example.com");
        String es = TokenMinter.es256(claims, EC);
        String rs = TokenMinter.rs256(claims, RSA);
        for (ProviderContext context : new ProviderContext[] {NativeSignatures.create(true), NativeSignatures.create(false)}) {
            String name = String.valueOf(context.getSuppliedKeyProviderContext().getSignatureProvider());
            assertEquals(claims.get("sub"), consumer(EC, context).processToClaims(es).getSubject(), name);
            assertEquals(claims.get("sub"), consumer(RSA, context).processToClaims(rs).getSubject(), name);
            for (String bad : new String[] {flipLastSignatureChar(es), flipLastSignatureChar(rs), zeroSignature(es),
                    es.substring(0, es.lastIndexOf('.') + 1) + rs.substring(rs.lastIndexOf('.') + 1)}) {
                PublicJsonWebKey key = bad.equals(flipLastSignatureChar(rs)) ? RSA : EC;
                assertThrows(InvalidJwtException.class, () -> consumer(key, context).processToClaims(bad), name + " " + bad);
            }
            // the other key does not verify
            assertThrows(InvalidJwtException.class, () -> consumer(TokenMinter.newEcKey("ec-native"), context).processToClaims(es), name);
        }
    }

    private static JwtConsumer consumer(PublicJsonWebKey key, ProviderContext context) {
        return new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.RSA_USING_SHA256))
                .setJwsProviderContext(context)
                .setVerificationKey(key.getPublicKey())
                .setRequireExpirationTime()
                .setSkipDefaultAudienceValidation()
                .build();
    }

    private static String flipLastSignatureChar(String token) {
        char last = token.charAt(token.length() - 2);
        return token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
    }

    /** r = s = 0, the "psychic signature" (CVE-2022-21449). */
    private static String zeroSignature(String token) {
        return token.substring(0, token.lastIndexOf('.') + 1) + "A".repeat(86);
    }
}
