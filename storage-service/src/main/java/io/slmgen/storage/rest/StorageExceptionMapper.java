package io.slmgen.storage.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.slmgen.storage.objects.StorageException;

/** storage-api's error body: {statusCode, code, error, message} (the shared shape plus its code). */
public class StorageExceptionMapper {

    @ServerExceptionMapper(priority = 0)
    public Response storage(StorageException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", String.valueOf(e.storageStatusCode()));
        body.put("code", e.storageCode());
        body.put("error", e.storageError());
        body.put("message", e.getMessage());
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(body);
        e.headers().forEach(r::header);
        return r.build();
    }
}
