import EvidenceAge
import EvidenceReport
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `verify-export dossier.zip.age`: the sealed export is decrypted into memory only (an anonymous `memfd`, never a
/// file on disk), up to a cap, and its zip checked there exactly as `verify-export dossier.zip` would.
enum SealedPackageCheck {
  /// Larger sealed exports are refused: decrypt them with `evidence decrypt` and check the zip.
  static let maximumByteCount: Int64 = 2 << 30

  static func verify(
    _ path: String, identityFiles: [String], passphraseFd: Int32?, anchorCodes: [String], fingerprint: String?,
    language: DossierModel.Language?
  ) throws -> PackageVerifier.Verdict {
    let input = open(path, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else {
      throw CommandFailure(
        message: "Could not open \(path): \(String(cString: strerror(errno))).", hint: "Check the file's name.")
    }
    defer { close(input) }
    let memory = anonymousMemoryFile()
    guard memory >= 0 else {
      throw CommandFailure(message: "Could not make room in memory to check \(path).", exitCode: 5)
    }
    defer { close(memory) }
    do {
      let decryptor = try AgeDecryptor(input: AgeFileDescriptorInput(fileDescriptor: input))
      if decryptor.isPassphraseProtected {
        let source: PassphraseReader.Source = passphraseFd.map { .descriptor($0) } ?? .terminal
        let passphrase = try PassphraseReader.read(from: source, prompt: "Passphrase for \(path): ")
        let secret = passphrase.withUnsafeBytes { AgeSecretBytes(copying: $0) }
        try decryptor.unlock(passphrase: secret)
      } else {
        guard !identityFiles.isEmpty else {
          throw CommandFailure(
            message: "\(path) is sealed for a key: give its identity file.",
            hint: "Add --identity key.txt (the file age-keygen wrote).")
        }
        var identities: [AgeIdentity] = []
        for file in identityFiles { identities += try EvidenceCommand.Decrypt.identities(in: file) }
        try decryptor.unlock(identities: identities)
      }
      try decryptor.decrypt(to: CappedOutput(fileDescriptor: memory, limit: maximumByteCount))
    } catch let failure {
      guard let ageFailure = failure as? AgeError else { throw failure }
      throw CommandFailure(ageFailure)
    }
    let inMemory = "/proc/self/fd/\(memory)"
    var verdict = PackageVerifier.verify(
      URL(fileURLWithPath: inMemory), anchorCodes: anchorCodes, fingerprint: fingerprint, language: language)
    verdict.lines = verdict.lines.map { $0.replacingOccurrences(of: inMemory, with: path) }
    return verdict
  }

  /// `memfd_create("sealed-export", MFD_CLOEXEC)`: a file descriptor on anonymous memory, or -1.
  ///
  /// Glibc declares it only under _GNU_SOURCE, which Swift's Glibc module does not see, so it is called through its
  /// address (as CoreDumps calls prctl). "On success, memfd_create() returns a new file descriptor. On error, -1."
  private static func anonymousMemoryFile() -> Int32 {
    typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, CUnsignedInt) -> CInt
    guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "memfd_create") else { return -1 }
    let memfdCreate = unsafeBitCast(symbol, to: MemfdCreate.self)
    let closeOnExec: CUnsignedInt = 1  // MFD_CLOEXEC, <linux/memfd.h>
    return memfdCreate("sealed-export", closeOnExec)
  }
}

/// Writes to a descriptor and refuses more than `limit` bytes in all.
private final class CappedOutput: AgeOutput {
  private let file: AgeFileDescriptorOutput
  private let limit: Int64
  private var written: Int64 = 0

  init(fileDescriptor: Int32, limit: Int64) {
    file = AgeFileDescriptorOutput(fileDescriptor: fileDescriptor)
    self.limit = limit
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws(AgeError) {
    written += Int64(bytes.count)
    guard written <= limit else {
      throw AgeError(
        .limitExceeded, "The sealed export is larger than the \(limit >> 30) GiB checked in memory.",
        hint: "Decrypt it with `evidence decrypt`, then run verify-export on the zip.")
    }
    try file.write(bytes)
  }
}
