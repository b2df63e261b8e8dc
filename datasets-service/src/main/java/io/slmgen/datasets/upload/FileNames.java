package io.slmgen.datasets.upload;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.slmgen.datasets.service.DatasetsError;
import io.slmgen.shared.error.ApiError;

/** Upload file names: SLMGEN's .jsonl rule first, then what makes a safe object name. */
final class FileNames {

    private FileNames() {
    }

    static String check(String name) {
        if (name == null || name.isBlank()) {
            throw ApiError.VALIDATION_FAILED.exception(
                    "a file name is required (?filename= or the multipart file name)").field("filename");
        }
        if (!name.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
            throw DatasetsError.INVALID_FILE_TYPE.exception().field("filename");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            throw ApiError.VALIDATION_FAILED.exception("the file name must not contain path separators")
                    .field("filename");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                throw ApiError.VALIDATION_FAILED.exception("the file name must not contain control characters")
                        .field("filename");
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw ApiError.VALIDATION_FAILED.exception("the file name must be at most 255 bytes").field("filename");
        }
        if (name.startsWith(".") && name.length() <= ".jsonl".length()) {
            throw ApiError.VALIDATION_FAILED.exception("the file name needs a name before .jsonl").field("filename");
        }
        return name;
    }
}
