package io.slmgen.jobs.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.slmgen.shared.identity.ForwardCallerHeaders;
import io.smallrye.mutiny.Uni;

/**
 * catalog-service's model validation (SPEC §15): is a Hugging Face id a model Unsloth can fine-tune,
 * and what is it (architecture, context window, size, gated; its catalog id when it is a catalog model).
 * catalog-service caches the hub's answers, so asking again is cheap.
 */
@RegisterRestClient(configKey = "catalog")
@RegisterClientHeaders(ForwardCallerHeaders.class)
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ModelValidationClient {

    /** {@code {model_id}} → SLMGEN's validate-model fields plus parameters, size and catalog_id. */
    @POST
    @Path("validate")
    Uni<ModelValidation> validate(@HeaderParam("Authorization") String authorization, @HeaderParam("apikey") String apikey,
                                      Requests.ValidateModel body);
}
