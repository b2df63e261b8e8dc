package io.slmgen.auth.token;

import java.security.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;

/** The asymmetric signing keys from configuration: one signs, all are published (public parts only). */
public final class SigningKeys {

    public record Signer(String kid, String algorithm, Key privateKey) {
    }

    private final List<PublicJsonWebKey> keys;
    private final Signer signer;

    private SigningKeys(List<PublicJsonWebKey> keys, Signer signer) {
        this.keys = keys;
        this.signer = signer;
    }

    public static SigningKeys none() {
        return new SigningKeys(List.of(), null);
    }

    /** Parses a JWKS with private parts; fails at start on anything unusable (never at request time). */
    public static SigningKeys parse(String jwks, Optional<String> signingKid) {
        try {
            List<PublicJsonWebKey> keys = new ArrayList<>();
            for (JsonWebKey k : new JsonWebKeySet(jwks).getJsonWebKeys()) {
                if (!(k instanceof PublicJsonWebKey p) || p.getPrivateKey() == null || k.getKeyId() == null) {
                    throw new IllegalArgumentException("every key needs a kid and its private part (EC P-256 or RSA)");
                }
                if (k instanceof EllipticCurveJsonWebKey ec && !"P-256".equals(ec.getCurveName())) {
                    throw new IllegalArgumentException("EC keys must use P-256 (ES256)");
                }
                keys.add(p);
            }
            if (keys.isEmpty()) {
                return none();
            }
            PublicJsonWebKey chosen = signingKid.map(kid -> keys.stream().filter(k -> kid.equals(k.getKeyId())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no key with kid " + kid))).orElse(keys.get(0));
            String alg = chosen instanceof RsaJsonWebKey ? AlgorithmIdentifiers.RSA_USING_SHA256
                    : AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
            return new SigningKeys(List.copyOf(keys), new Signer(chosen.getKeyId(), alg, chosen.getPrivateKey()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("auth.jwt.keys: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("auth.jwt.keys is not a valid JWKS", e);
        }
    }

    public Optional<Signer> signer() {
        return Optional.ofNullable(signer);
    }

    /** The JWKS document: public parts only, each with kid, alg and use. */
    public List<Map<String, Object>> publicKeys() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PublicJsonWebKey k : keys) {
            try {
                Map<String, Object> m = new java.util.LinkedHashMap<>(
                        JsonUtil.parseJson(k.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
                m.put("alg", k instanceof RsaJsonWebKey ? "RS256" : "ES256");
                m.put("use", "sig");
                out.add(m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
