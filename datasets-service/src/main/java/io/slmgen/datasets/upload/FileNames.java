package io.slmgen.datasets.upload;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.slmgen.shared.error.ApiException;

/** Upload file names: SLMGEN's .jsonl rule first, then what makes a safe object name. */
final class FileNames {

    private FileNames() {
    }

    static String check(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalidField("filename", "a file name is required (?filename= or the multipart file name)");
        }
        if (!name.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
            throw new ApiException(422, "invalid_file_type", "Please upload a .jsonl file").field("filename");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            throw ApiException.invalidField("filename", "the file name must not contain path separators");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                throw ApiException.invalidField("filename", "the file name must not contain control characters");
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw ApiException.invalidField("filename", "the file name must be at most 255 bytes");
        }
        if (name.startsWith(".") && name.length() <= ".jsonl".length()) {
            throw ApiException.invalidField("filename", "the file name needs a name before .jsonl");
        }
        return name;
    }
}
