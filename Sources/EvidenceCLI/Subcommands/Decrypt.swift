import ArgumentParser
import EvidenceAge
import EvidenceCatalogue
import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension EvidenceCommand {
  struct Decrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractDecrypt),
      discussion: """
        With --identity, the file is opened with the secret key (the file age-keygen wrote). A file protected by a
        passphrase asks for it on the terminal, without showing it (or reads it from --passphrase-fd).
        The decrypted file is written only when all of it is authenticated; a damaged file leaves nothing behind.
        An existing file is never replaced.
        """)

    @Argument(help: ArgumentHelp("The age file to decrypt.", valueName: "file.age"))
    var file: String

    @Option(
      name: .long,
      help: ArgumentHelp(
        "A file of identities (AGE-SECRET-KEY-1…), as age-keygen writes it. Repeat for several.",
        valueName: "key-file"))
    var identity: [String] = []

    @Option(
      name: .long,
      help: ArgumentHelp("Where to write the decrypted file. Default: the file's name without .age.", valueName: "file")
    )
    var out: String?

    @Option(
      name: .long,
      help: ArgumentHelp(
        "Read the passphrase from this open file descriptor (one line) instead of asking on the terminal. For scripts: --passphrase-fd 3 3<file.",
        valueName: "n"))
    var passphraseFd: Int32?

    /// Identity files are small; anything larger is not one.
    static let maximumIdentityFileByteCount = 1024 * 1024

    func validate() throws {
      if let passphraseFd, passphraseFd < 0 {
        throw ValidationError("--passphrase-fd takes a file descriptor number, 0 or more.")
      }
      if out == nil, !file.hasSuffix(".age") || file.count <= 4 {
        throw ValidationError("The file's name does not end in .age: say where to write it with --out.")
      }
    }

    func run() throws {
      let target = URL(fileURLWithPath: out ?? String(file.dropLast(4)))
      guard !FileManager.default.fileExists(atPath: target.path) else {
        throw CommandFailure(
          message: "\(target.path) already exists; it was not changed.",
          hint: "Choose another name with --out, or move the existing file away first.")
      }
      let descriptor = open(file, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else {
        throw CommandFailure(
          message: "Could not open \(file): \(String(cString: strerror(errno))).", hint: "Check the file's name.")
      }
      defer { close(descriptor) }
      do {
        let decryptor = try AgeDecryptor(input: AgeFileDescriptorInput(fileDescriptor: descriptor))
        if decryptor.isPassphraseProtected {
          if !identity.isEmpty {
            Diagnostics.note("\(file) is protected by a passphrase; the identity file is not needed.")
          }
          let source: PassphraseReader.Source = passphraseFd.map { .descriptor($0) } ?? .terminal
          let passphrase = try PassphraseReader.read(from: source, prompt: "Passphrase for \(file): ")
          let secret = passphrase.withUnsafeBytes { AgeSecretBytes(copying: $0) }
          try decryptor.unlock(passphrase: secret)
        } else {
          guard !identity.isEmpty else {
            throw CommandFailure(
              message: "\(file) is encrypted to a key: give its identity file.",
              hint: "Add --identity key.txt (the file age-keygen wrote when the key was made).")
          }
          var identities: [AgeIdentity] = []
          for path in identity { identities += try Self.identities(in: path) }
          try decryptor.unlock(identities: identities)
        }
        // Only now, with the header authenticated, is anything created.
        let output = try CrashSafeFile(creating: target)
        let temporary = output.temporary
        let written: @Sendable () -> [URL] = { [temporary] }
        try Interruption.removing(written) {
          do {
            try decryptor.decrypt(to: output.output)
          } catch let failure {
            output.abandon()
            throw failure
          }
          try output.commit()
        }
      } catch let failure {
        guard let ageFailure = failure as? AgeError else { throw failure }
        throw CommandFailure(ageFailure)
      }
      print("Wrote \(target.path): the decrypted content of \(file), authenticated in full.")
    }

    /// The identities in an identity file, read straight into memory that is wiped.
    static func identities(in path: String) throws -> [AgeIdentity] {
      var bytes: [UInt8]
      do {
        bytes = try Self.readSmallFile(path)
      } catch let failure {
        throw CommandFailure(
          message: "Could not read the identity file \(path): \(failure.localizedDescription).",
          hint: "Give the file that age-keygen wrote.")
      }
      defer {
        for index in bytes.indices { bytes[index] = 0 }
      }
      return try AgeIdentity.parseFile(bytes)
    }

    static func readSmallFile(_ path: String) throws -> [UInt8] {
      let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      let data = try handle.read(upToCount: maximumIdentityFileByteCount + 1) ?? Data()
      guard data.count <= maximumIdentityFileByteCount else {
        throw CommandFailure(message: "\(path) is too large to be an identity file.")
      }
      return Array(data)
    }
  }
}
