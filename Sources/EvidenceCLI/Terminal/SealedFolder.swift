import EvidenceAge
import EvidenceReport
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A sealed export without `--zip`: a new folder (0700) where each file of the package is its own age file,
/// `NAME.age`, written crash-safe. Nothing unencrypted is written; `abandon()` removes the whole folder.
final class SealedFolder: SealedPackageSink {
  let folder: URL
  private let seal: (any AgeOutput) throws -> AgeEncryptor
  private var current: (file: CrashSafeFile, encryptor: AgeEncryptor)?

  /// Creates `folder`, which must not exist yet.
  init(creating folder: URL, seal: @escaping (any AgeOutput) throws -> AgeEncryptor) throws {
    self.folder = folder
    self.seal = seal
    // mkdir: fails with EEXIST when anything is there, so an earlier export or another file is never mixed in.
    guard mkdir(folder.path, 0o700) == 0 else {
      let code = errno
      throw CommandFailure(
        message: code == EEXIST
          ? "\(folder.path) already exists; a sealed export needs a new folder."
          : "Could not create \(folder.path): \(String(cString: strerror(code))).",
        hint: "Choose another folder with --out.", exitCode: code == EEXIST ? 2 : 5)
    }
  }

  func beginFile(_ path: String) throws {
    precondition(current == nil, "SealedFolder.beginFile inside a file")
    let target = folder.appendingPathComponent(path + ".age")
    let parent = target.deletingLastPathComponent()
    if !FileManager.default.fileExists(atPath: parent.path) {
      try FileManager.default.createDirectory(
        at: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
    let file = try CrashSafeFile(creating: target)
    current = (file, try seal(file.output))
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard let current else { preconditionFailure("SealedFolder.write outside a file") }
    try current.encryptor.write(bytes)
  }

  func endFile() throws {
    guard let current else { preconditionFailure("SealedFolder.endFile outside a file") }
    self.current = nil
    try current.encryptor.finish()
    try current.file.commit()
  }

  /// Removes everything this export wrote (the folder it made).
  func abandon() {
    current?.file.abandon()
    current = nil
    try? FileManager.default.removeItem(at: folder)
  }
}
