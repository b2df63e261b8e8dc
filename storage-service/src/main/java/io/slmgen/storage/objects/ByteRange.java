package io.slmgen.storage.objects;

/** One HTTP byte range ({@code Range: bytes=a-b | a- | -n}) resolved against an object's size. */
public record ByteRange(long start, long end) {

    public long length() {
        return end - start + 1;
    }

    /** null when there is no usable single range (the whole object is sent); 416 when unsatisfiable. */
    public static ByteRange parse(String header, long size) {
        if (header == null || !header.trim().toLowerCase().startsWith("bytes=")) {
            return null;
        }
        String spec = header.trim().substring(6).trim();
        if (spec.contains(",")) {
            return null; // multiple ranges: answer the whole object, as storage-api does
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            long start;
            long end;
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    throw StorageError.INVALID_RANGE.exception().header("Content-Range", "bytes */" + size);
                }
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(a);
                end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
                if (start >= size || start > end) {
                    throw StorageError.INVALID_RANGE.exception().header("Content-Range", "bytes */" + size);
                }
            }
            if (start < 0) {
                return null;
            }
            return new ByteRange(start, end);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
