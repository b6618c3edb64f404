internal import COpenSSLHash

/// OpenSSL's SHA-256 (the CPU's SHA extensions where present), as the vault uses it for attachments.
enum OpenSSLBaseline {
  static func sha256(totalBytes: Int) -> UInt8 {
    guard let context = EVP_MD_CTX_new() else { return 0 }
    defer { EVP_MD_CTX_free(context) }
    _ = EVP_DigestInit_ex(context, EVP_sha256(), nil)
    let chunk = [UInt8](repeating: 7, count: 1 << 20)
    var done = 0
    while done < totalBytes {
      _ = EVP_DigestUpdate(context, chunk, chunk.count)
      done += chunk.count
    }
    var digest = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    _ = EVP_DigestFinal_ex(context, &digest, &length)
    return digest[0]
  }
}
