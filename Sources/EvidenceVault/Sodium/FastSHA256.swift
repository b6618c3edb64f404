internal import COpenSSLHash

/// Streaming SHA-256 from OpenSSL, which uses the CPU's SHA extensions where present (about 5× libsodium's
/// portable C here). Used for attachments, whose size makes the hash the slowest step; the same digest as
/// `SHA256` (tested against each other and against hashlib's known answers).
final class FastSHA256 {
  private let context: OpaquePointer

  init() {
    guard let context = EVP_MD_CTX_new() else { fatalError("Out of memory for a SHA-256 context") }
    // EVP_DigestInit_ex: 1 on success, 0 on failure (only for an unusable digest, which SHA-256 never is).
    guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { fatalError("OpenSSL has no SHA-256") }
    self.context = context
  }

  deinit { EVP_MD_CTX_free(context) }

  /// Adds bytes to the hash.
  func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    // EVP_DigestUpdate: 1 on success; it cannot fail for an initialised SHA-256 context.
    let result = EVP_DigestUpdate(context, base, bytes.count)
    precondition(result == 1)
  }

  /// The 32-byte digest of everything added.
  func finish() -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    // EVP_DigestFinal_ex: 1 on success.
    let result = EVP_DigestFinal_ex(context, &digest, &length)
    precondition(result == 1 && length == 32)
    return digest
  }
}
