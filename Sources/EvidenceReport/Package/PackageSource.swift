import EvidenceVault
import EvidenceZip
import Foundation

/// Why one file of a package could not be read; `description` completes "<path> cannot be read: …".
enum PackageReadFailure: Error, Equatable, CustomStringConvertible {
  /// There is no such file.
  case missing
  /// It is larger than a file of its kind can be (or than the manifest says it is).
  case tooLarge(limit: Int64)
  /// It is not a plain file (a folder, a link, a device…), or the archive cannot give it: the text says why.
  case unreadable(String)

  var description: String {
    switch self {
    case .missing: "it is missing"
    case .tooLarge(let limit):
      "it is larger than the \(ByteCountFormatter.string(fromByteCount: limit, countStyle: .file)) such a file can be"
    case .unreadable(let why): why
    }
  }

  init(_ failure: ZipReader.Failure) {
    switch failure {
    case .tooLarge(let limit): self = .tooLarge(limit: limit)
    default: self = .unreadable(failure.description)
    }
  }
}

/// The files of an evidence package, in a folder or in the zip archive `export --zip` writes, read the same way
/// so that `verify-export` checks either without unpacking anything to disk.
///
/// A package may come from anyone, so every read is bounded: whole-file reads by a limit the caller gives (a
/// manifest is small), hashes by the size the manifest lists, and nothing is allocated from a size the package
/// itself states.
protocol PackageSource {
  /// Every file as a path relative to the package's top, sorted, without manifest.json and manifest.sig.
  func contentFiles() throws -> [String]
  /// The whole content of a small file (the manifest, records.json), at most `byteLimit` bytes.
  func contents(of path: String, byteLimit: Int64) -> Result<Data, PackageReadFailure>
  /// The size and SHA-256 of a file; reading stops with `tooLarge` once it passes `byteLimit` bytes.
  func sha256(of path: String, byteLimit: Int64) -> Result<(hex: String, size: Int64), PackageReadFailure>
  /// Entries no export writes, each named in a sentence: symbolic links and devices, names that are absolute,
  /// climb out with `..`, hold backslashes or control characters, and files outside the package's folder.
  var entryProblems: [String] { get }
}

extension PackageSource {
  /// A name an export never writes and no unpacking tool should be given: why, or nil.
  static func unsafeName(_ path: String) -> String? {
    if path.hasPrefix("/") { return "is an absolute path" }
    if path.split(separator: "/", omittingEmptySubsequences: false).contains("..") { return "climbs out with .." }
    if path.contains("\\") { return "holds a backslash" }
    if path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      return "holds a control character"
    }
    return nil
  }
}

/// A package folder.
struct FolderPackage: PackageSource {
  let folder: URL

  func contentFiles() throws -> [String] { try EvidencePackage.listFiles(in: folder) }

  var entryProblems: [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
    var problems: [String] = []
    while let path = enumerator.nextObject() as? String {
      var info = stat()
      guard lstat(folder.appendingPathComponent(path).path, &info) == 0 else { continue }
      let type = info.st_mode & S_IFMT
      if type != S_IFREG && type != S_IFDIR {
        problems.append(
          "\(TerminalSafeText.line(path)) is not a file (a symbolic link or a device): a package holds only files.")
      }
    }
    return problems
  }

  func contents(of path: String, byteLimit: Int64) -> Result<Data, PackageReadFailure> {
    var data = Data()
    return read(path, byteLimit: byteLimit) { data.append($0) }.map { data }
  }

  func sha256(of path: String, byteLimit: Int64) -> Result<(hex: String, size: Int64), PackageReadFailure> {
    let hasher = StreamingSHA256()
    return read(path, byteLimit: byteLimit) { hasher.update($0) }.map { (hasher.finishHex(), hasher.size) }
  }

  /// Streams a plain file in pieces of 1 MiB, stopping past `byteLimit`: a link to /dev/zero or a named pipe in
  /// a package from a stranger is neither read without end nor waited on.
  private func read(_ path: String, byteLimit: Int64, into body: (Data) -> Void) -> Result<Void, PackageReadFailure> {
    let url = folder.appendingPathComponent(path)
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else {
      return .failure(.missing)
    }
    guard attributes[.type] as? FileAttributeType == .typeRegular else {
      return .failure(.unreadable("it is not a plain file"))
    }
    if let size = (attributes[.size] as? NSNumber)?.int64Value, size > byteLimit {
      return .failure(.tooLarge(limit: byteLimit))
    }
    guard let handle = try? FileHandle(forReadingFrom: url) else { return .failure(.unreadable("it cannot be opened")) }
    defer { try? handle.close() }
    var total: Int64 = 0
    while true {
      let piece: Data
      do { piece = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
        return .failure(.unreadable("it cannot be read"))
      }
      if piece.isEmpty { return .success(()) }
      total += Int64(piece.count)
      guard total <= byteLimit else { return .failure(.tooLarge(limit: byteLimit)) }
      body(piece)
    }
  }
}

/// A package zip archive: the package's files under one top folder (or at the top).
struct ZipPackage: PackageSource {
  let reader: ZipReader
  /// "dossier/" when the files are under a top folder, else "".
  let prefix: String

  /// Why an archive is not opened as a package.
  enum OpenFailure: Error {
    /// Not a zip archive, or not one that can be read safely; the text says why.
    case unreadable(ZipReader.Failure)
    /// A zip archive without a manifest.json at its top or in one folder.
    case noManifest
  }

  /// Opens `url` as a package archive.
  init(_ url: URL, limits: ZipLimits = .standard) throws(OpenFailure) {
    let reader: ZipReader
    do { reader = try ZipReader(url: url, limits: limits) } catch { throw .unreadable(error) }
    let manifests = reader.members.map(\.path)
      .filter { ($0 as NSString).lastPathComponent == "manifest.json" && $0.split(separator: "/").count <= 2 }
      .sorted { $0.count < $1.count }
    guard let manifest = manifests.first else { throw .noManifest }
    self.reader = reader
    self.prefix = String(manifest.dropLast("manifest.json".count))
  }

  var entryProblems: [String] {
    var problems = reader.specialEntries.map {
      "\(TerminalSafeText.line($0)) in the archive is not a file (a symbolic link or a device): a package holds only files."
    }
    for path in reader.members.map(\.path) {
      if let why = Self.unsafeName(path) {
        problems.append("\(TerminalSafeText.line(path)) in the archive \(why): no export writes such a name.")
      } else if !path.hasPrefix(prefix) {
        problems.append("\(TerminalSafeText.line(path)) in the archive is outside the package's folder.")
      }
    }
    return problems
  }

  func contentFiles() throws -> [String] {
    reader.members.map(\.path).filter { $0.hasPrefix(prefix) && Self.unsafeName($0) == nil }
      .map { String($0.dropFirst(prefix.count)) }
      .filter { $0 != "manifest.json" && $0 != "manifest.sig" }.sorted()
  }

  func contents(of path: String, byteLimit: Int64) -> Result<Data, PackageReadFailure> {
    guard let member = reader.member(at: prefix + path) else { return .failure(.missing) }
    do { return .success(try reader.contents(of: member, byteLimit: byteLimit)) } catch {
      return .failure(PackageReadFailure(error))
    }
  }

  func sha256(of path: String, byteLimit: Int64) -> Result<(hex: String, size: Int64), PackageReadFailure> {
    guard let member = reader.member(at: prefix + path) else { return .failure(.missing) }
    let hasher = StreamingSHA256()
    do { try reader.read(member, byteLimit: byteLimit) { hasher.update($0) } } catch {
      return .failure(PackageReadFailure(error))
    }
    return .success((hasher.finishHex(), hasher.size))
  }
}
