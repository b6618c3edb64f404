import EvidenceAge
import Foundation
import Testing

/// Runs other programs for the tests: the real `age`, `sha256sum`, python3 (zlib, pexpect).
enum Tools {
  struct Output {
    let status: Int32
    let stdout: [UInt8]
    let stderr: String
  }

  /// The package's root folder, from this file's place in Tests/EvidenceAgeTests/Support/.
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Runs `arguments` (the first through /usr/bin/env) with `input` on stdin.
  static func run(_ arguments: [String], input: [UInt8] = []) throws -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Feed stdin on another thread so that a large output cannot dead-lock against a large input.
    let writer = Thread {
      stdin.fileHandleForWriting.write(Data(input))
      try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let errorData = ErrorCollector(stderr.fileHandleForReading)
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(status: process.terminationStatus, stdout: Array(out), stderr: errorData.text())
  }

  /// The SHA-256 of `bytes` in lowercase hex, from `sha256sum` (an implementation that is not ours).
  static func sha256(_ bytes: [UInt8]) throws -> String {
    let output = try run(["sha256sum", "-b", "-"], input: bytes)
    return String(decoding: output.stdout.prefix(64), as: UTF8.self)
  }

  /// Inflates zlib data (some test-kit files are stored compressed) with python3's zlib.
  static func zlibDecompress(_ bytes: [UInt8]) throws -> [UInt8] {
    let script = "import sys, zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))"
    let output = try run(["python3", "-c", script], input: bytes)
    #expect(output.status == 0, "python3 zlib: \(output.stderr)")
    return output.stdout
  }

  /// A fresh folder under the system's temporary folder, removed by the caller.
  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-age-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Whether the real age tools are installed (the interop tests need them).
  static var hasAge: Bool {
    FileManager.default.isExecutableFile(atPath: "/usr/bin/age")
      && FileManager.default.isExecutableFile(atPath: "/usr/bin/age-keygen")
  }
}

/// Reads a pipe to its end on a background thread.
private final class ErrorCollector: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    Thread {
      self.data = handle.readDataToEndOfFile()
      self.done.signal()
    }.start()
  }

  func text() -> String {
    done.wait()
    return String(decoding: data, as: UTF8.self)
  }
}

/// Decrypting helpers shared by the suites.
enum Decrypt {
  /// Decrypts `file` with `identities`, or with `passphrase` when given.
  static func file(
    _ file: [UInt8], identities: [AgeIdentity] = [], passphrase: String? = nil,
    encoding: AgeDecryptor.Encoding = .detect
  ) throws(AgeError) -> [UInt8] {
    let decryptor = try AgeDecryptor(input: AgeMemoryInput(file), encoding: encoding)
    if let passphrase {
      let bytes = Array(passphrase.utf8)
      let secret = AgeSecretBytes(zeroedByteCount: bytes.count)
      secret.withUnsafeMutableBytes { target in bytes.withUnsafeBytes { target.copyMemory(from: $0) } }
      try decryptor.unlock(passphrase: secret)
    } else {
      try decryptor.unlock(identities: identities)
    }
    let output = AgeMemoryOutput()
    try decryptor.decrypt(to: output)
    return output.bytes
  }

  /// The code of the error decrypting throws, or nil when it succeeds.
  static func failureCode(
    _ file: [UInt8], identities: [AgeIdentity] = [], passphrase: String? = nil,
    encoding: AgeDecryptor.Encoding = .detect
  ) -> AgeError.Code? {
    do {
      _ = try Decrypt.file(file, identities: identities, passphrase: passphrase, encoding: encoding)
      return nil
    } catch let failure {
      return failure.code
    }
  }

  /// A passphrase in guarded memory.
  static func secret(_ text: String) -> AgeSecretBytes {
    let bytes = Array(text.utf8)
    let secret = AgeSecretBytes(zeroedByteCount: bytes.count)
    secret.withUnsafeMutableBytes { target in bytes.withUnsafeBytes { target.copyMemory(from: $0) } }
    return secret
  }
}
