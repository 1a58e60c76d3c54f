/* tls.c - keeps libgit2's start-up from reading the system's CA bundle.
 *
 * Debian's libgit2 is built with mbedTLS, and git_libgit2_init loads
 * /etc/ssl/certs/ca-certificates.crt for HTTPS remotes: about 140 PEM
 * certificates base64-decoded and parsed, 54 M instructions and 240 page
 * faults, half of a warm pre-commit run's critical path (the index waits
 * for the start-up). migralint only reads local repositories: no remote,
 * no fetch, no TLS connection, ever (src/vcs has no git_remote_* call).
 *
 * libgit2 calls this function through the dynamic linker, which looks in
 * the executable first, so this definition replaces mbedTLS's for
 * libgit2. It loads no certificate and says it succeeded: should a
 * future change ever open an HTTPS remote, every certificate check fails
 * (the chain is empty) rather than passes. A libgit2 built with OpenSSL
 * or without HTTPS never calls it. The sanitizer build links it too. */

/* mbedtls/x509_crt.h's declaration; the header is not needed for a
 * definition that reads neither argument. */
int mbedtls_x509_crt_parse_file(void *chain, const char *path);

int mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
    (void)chain;
    (void)path;
    return 0;
}
