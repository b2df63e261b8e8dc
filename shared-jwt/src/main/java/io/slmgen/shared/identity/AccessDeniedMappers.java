package io.slmgen.shared.identity;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.error.ErrorResponses;
import io.slmgen.shared.jwt.InvalidTokenException;

/**
 * Quarkus Security's refusals, answered as the Java checks they stand in for (SPEC §3), in the path's
 * shape - never Quarkus' empty 401/403:
 * <ul>
 * <li>a caller without the role {@code @RolesAllowed("authenticated")} asks for: what
 * {@link Caller#requireUser()} answers (401 {@code no_authorization});</li>
 * <li>a caller without {@code @RolesAllowed("service_role")}: what {@link Caller#requireServiceRole()}
 * answers (403 {@code not_admin});</li>
 * <li>an authentication failure that reaches a resource (normally {@link CallerFilter} answers it first):
 * the 401 {@code bad_jwt}.</li>
 * </ul>
 * Resources use {@code @RolesAllowed} with our roles, not {@code @Authenticated}: the anon role is a caller
 * like any other (Supabase's anon key), so Quarkus counts it as authenticated.
 */
public class AccessDeniedMappers {

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e, ResourceInfo resource, UriInfo uri, HttpHeaders headers) {
        return ErrorResponses.of(uri, headers, refusalFor(rolesAllowed(resource)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e, ResourceInfo resource, UriInfo uri, HttpHeaders headers) {
        return ErrorResponses.of(uri, headers, refusalFor(rolesAllowed(resource)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri, HttpHeaders headers) {
        Throwable t = e;
        while (t != null && !(t instanceof InvalidTokenException)) {
            t = t.getCause();
        }
        return ErrorResponses.of(uri, headers, CallerFilter.invalid(t != null ? t.getMessage() : "invalid JWT"));
    }

    /**
     * The refusal of a caller lacking the roles a resource declares: a user-only route answers as
     * {@link Caller#requireUser()}, a service_role-only route as {@link Caller#requireServiceRole()}. The
     * exceptions are taken from those checks themselves so the bodies cannot drift apart.
     */
    static ApiException refusalFor(List<String> roles) {
        try {
            if (roles.contains("service_role") && !roles.contains("authenticated")) {
                Caller.nobody().requireServiceRole();
            } else {
                Caller.nobody().requireUser();
            }
        } catch (ApiException refusal) {
            return refusal;
        }
        throw new IllegalStateException("the anon caller passed a role check");
    }

    private static List<String> rolesAllowed(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        RolesAllowed roles = method == null ? null : method.getAnnotation(RolesAllowed.class);
        if (roles == null && resource != null && resource.getResourceClass() != null) {
            roles = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        return roles == null ? List.of() : Arrays.asList(roles.value());
    }
}
