package io.slmgen.storage.client;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.slmgen.shared.identity.ForwardCallerHeaders;

/**
 * The REST client other services use to call storage-service as the caller (Authorization + apikey
 * forwarded, so the storage policies apply to the user). Configure
 * {@code quarkus.rest-client.storage.url=${STORAGE_SERVICE_URL:http://127.0.0.1:8085}}. {@code path} is
 * the object name inside the bucket ("{user_id}/{job_id}/file"); slashes may arrive encoded, the
 * service decodes once.
 */
@RegisterRestClient(configKey = "storage")
@RegisterClientHeaders(ForwardCallerHeaders.class)
@Path("/storage/v1")
public interface StorageApi {

    /** Streams a raw body; answers {Id, Key}. */
    @POST
    @Path("/object/{bucket}/{path}")
    @Produces(MediaType.APPLICATION_JSON)
    Map<String, Object> upload(@PathParam("bucket") String bucket, @PathParam("path") String path, InputStream body,
                               @HeaderParam("Content-Type") String contentType, @HeaderParam("x-upsert") String upsert);

    /** The bytes (Range honoured); read the entity as an InputStream and close the Response. */
    @GET
    @Path("/object/authenticated/{bucket}/{path}")
    Response download(@PathParam("bucket") String bucket, @PathParam("path") String path,
                      @HeaderParam("Range") String range);

    /** {signedURL: "/object/sign/{bucket}/{path}?token=..."} (relative to /storage/v1). */
    @POST
    @Path("/object/sign/{bucket}/{path}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Map<String, Object> sign(@PathParam("bucket") String bucket, @PathParam("path") String path,
                             Map<String, Object> body);

    @DELETE
    @Path("/object/{bucket}/{path}")
    @Produces(MediaType.APPLICATION_JSON)
    Map<String, Object> delete(@PathParam("bucket") String bucket, @PathParam("path") String path);

    /** Removes several objects; answers the removed rows. */
    @DELETE
    @Path("/object/{bucket}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    List<Map<String, Object>> remove(@PathParam("bucket") String bucket, Map<String, List<String>> prefixes);
}
