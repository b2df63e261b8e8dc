package io.slmgen.auth.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A public.profiles row (002-profiles.sql), read and changed as the caller: its policies let a user see and
 * update only their own row. The seed's trigger inserts it with the user, so this service never does.
 */
@Entity
@Table(schema = "public", name = "profiles")
public class ProfileEntity extends PanacheEntityBase {

    @Id
    public UUID id;
    public String email;
    public String fullName;
    public String avatarUrl;
    public String bio;
    public Boolean notificationsEnabled;
    public String theme;
    @Column(name = "created_at", updatable = false)
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;

    /** The row as the API renders it. */
    public Profile toRecord() {
        return new Profile(id, email, fullName, avatarUrl, bio, notificationsEnabled, theme, createdAt, updatedAt);
    }
}
