package io.slmgen.auth.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * An auth.sessions row (003-auth-sessions-tokens.sql), read here to check that a caller's session still exists.
 * Sessions are created, refreshed and deleted by TokenRepository's SQL in the transactions that also write
 * their refresh tokens; amr, ip and refreshed_at are only ever touched there.
 */
@Entity
@Table(schema = "auth", name = "sessions")
public class SessionEntity extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID userId;
    public String aal;
    public OffsetDateTime notAfter;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;

    /** Live: no end set, or the end not reached. */
    public boolean live() {
        return notAfter == null || notAfter.isAfter(OffsetDateTime.now());
    }
}
