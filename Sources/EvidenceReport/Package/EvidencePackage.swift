import EvidenceVault
import Foundation

/// The evidence package: `dossier.txt`, `exhibits/`, `records.json`, `manifest.json` and `manifest.sig`.
///
/// `records.json` holds the included records' JSON exactly as stored (so their leaves can be recomputed) and the
/// leaves of the withheld ones (so the whole chain can be recomputed without revealing them). `manifest.json`
/// lists every other file with its size and SHA-256, the chain head and the signing key; `manifest.sig` is the
/// vault's Ed25519 signature over `manifest.json` (Schemas/export-manifest.schema.json, export-records.schema.json).
public enum EvidencePackage {
  public static let formatName = "evidence-journal export v1"

  struct RecordsFile: Codable {
    struct Item: Codable {
      var sequence: UInt64
      var leaf: String
      /// The record's stored JSON, exactly; absent for a withheld record.
      var json: String?
    }
    var format: String
    var vaultId: String
    var headSequence: UInt64
    var headHash: String
    var records: [Item]
  }

  struct Manifest: Codable {
    struct File: Codable {
      var path: String
      var size: Int64
      var sha256: String
    }
    var format: String
    var vaultId: String
    var signingPublicKey: String
    var headSequence: UInt64
    var headHash: String
    var headSignature: String
    var includedRecords: Int
    var withheldRecords: Int
    var producedAt: String
    var files: [File]
  }

  /// What was written.
  public struct Summary: Sendable {
    public var files: Int
    public var exhibits: Int
    public var includedRecords: Int
    public var withheldRecords: Int
  }

  /// Writes the package into `folder`, which must not exist or be empty; files 0600, folders 0700.
  /// - Throws: `alreadyExists`, file-system errors, and `vaultDamaged` for a damaged exhibit.
  public static func write(_ builder: DossierBuilder, dossierText: String, vault: Vault, to folder: URL) throws
    -> Summary
  {
    let manager = FileManager.default
    if let contents = try? manager.contentsOfDirectory(atPath: folder.path), !contents.isEmpty {
      throw VaultError(
        .alreadyExists, "\(folder.path) already holds files; an export needs a new or empty folder.",
        hint: "Choose another folder with --out.")
    }
    let existed = manager.fileExists(atPath: folder.path)
    try makePrivateFolder(folder)
    do {
      return try writeContents(builder, dossierText: dossierText, vault: vault, to: folder)
    } catch {
      // Never leave a half-written plaintext export behind: remove what this call wrote.
      if existed {
        for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] {
          try? manager.removeItem(at: folder.appendingPathComponent(name))
        }
      } else {
        try? manager.removeItem(at: folder)
      }
      throw error
    }
  }

  private static func writeContents(
    _ builder: DossierBuilder, dossierText: String, vault: Vault, to folder: URL
  ) throws -> Summary {
    try makePrivateFolder(folder.appendingPathComponent("exhibits"))
    try writePrivate(Array(dossierText.utf8), to: folder.appendingPathComponent("dossier.txt"))
    for file in builder.exhibitFiles {
      try vault.extract(file.label, to: folder.appendingPathComponent(file.fileName))
    }
    let head = vault.signedHead()
    let records = RecordsFile(
      format: formatName, vaultId: vault.vaultIdHex, headSequence: head.sequence, headHash: head.hash,
      records: vault.records.map { stored in
        RecordsFile.Item(
          sequence: stored.sequence, leaf: ExportCrypto.leaf(stored.bytes),
          json: builder.includedSequences.contains(stored.sequence)
            ? String(decoding: stored.bytes, as: UTF8.self) : nil)
      })
    try writePrivate(try encode(records), to: folder.appendingPathComponent("records.json"))

    var files: [Manifest.File] = []
    for path in try listFiles(in: folder) {
      let hash = try ExportCrypto.sha256(of: folder.appendingPathComponent(path))
      files.append(Manifest.File(path: path, size: hash.size, sha256: hash.hex))
    }
    let manifest = Manifest(
      format: formatName, vaultId: vault.vaultIdHex, signingPublicKey: vault.signingPublicKeyHex,
      headSequence: head.sequence, headHash: head.hash, headSignature: head.signature,
      includedRecords: builder.includedSequences.count,
      withheldRecords: vault.records.count - builder.includedSequences.count,
      producedAt: WhenFormatter.rfc3339UTC(builder.model.producedAt), files: files)
    let manifestBytes = try encode(manifest)
    try writePrivate(manifestBytes, to: folder.appendingPathComponent("manifest.json"))
    try writePrivate(
      Array((vault.signExport(manifestBytes).map { String(format: "%02x", $0) }.joined() + "\n").utf8),
      to: folder.appendingPathComponent("manifest.sig"))
    return Summary(
      files: files.count + 2, exhibits: builder.exhibitFiles.count, includedRecords: manifest.includedRecords,
      withheldRecords: manifest.withheldRecords)
  }

  /// Every file below `folder` as a relative path, sorted, without the manifest and its signature.
  static func listFiles(in folder: URL) throws -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
    var paths: [String] = []
    while let path = enumerator.nextObject() as? String {
      var isFolder: ObjCBool = false
      FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
      if !isFolder.boolValue && path != "manifest.json" && path != "manifest.sig" { paths.append(path) }
    }
    return paths.sorted()
  }

  static func encode(_ value: some Encodable) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(value)) + [0x0a]
  }

  private static func makePrivateFolder(_ url: URL) throws {
    try FileManager.default.createDirectory(
      at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    _ = chmod(url.path, 0o700)
  }

  private static func writePrivate(_ bytes: [UInt8], to url: URL) throws {
    guard
      FileManager.default.createFile(atPath: url.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
    else {
      throw VaultError(.fileSystem, "Could not write \(url.path).")
    }
  }
}

/// Checks an evidence package without the vault or its passphrase.
public enum PackageVerifier {
  /// The verdict: intact or not, one line for each check and each difference.
  public struct Verdict: Sendable {
    public var isIntact: Bool
    public var lines: [String]
  }

  /// Checks the signature, every file's size and hash, files added or removed, every included record against its
  /// leaf, and the recomputed chain against the signed head.
  public static func verify(_ folder: URL) -> Verdict {
    var problems: [String] = []
    var notes: [String] = []
    let manifestURL = folder.appendingPathComponent("manifest.json")
    guard let manifestBytes = try? Data(contentsOf: manifestURL),
      let manifest = try? JSONDecoder().decode(EvidencePackage.Manifest.self, from: manifestBytes),
      manifest.format == EvidencePackage.formatName
    else {
      return Verdict(
        isIntact: false, lines: ["NOT INTACT: manifest.json is missing or is not an evidence package manifest."])
    }
    let signature =
      (try? String(contentsOf: folder.appendingPathComponent("manifest.sig"), encoding: .utf8))?
      .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    if ExportCrypto.isValidSignature(signature, manifest: Array(manifestBytes), publicKey: manifest.signingPublicKey) {
      notes.append(
        "Signature: valid, by the vault with fingerprint \(ExportCrypto.fingerprint(publicKey: manifest.signingPublicKey) ?? "?")."
      )
    } else {
      problems.append("manifest.sig is not a valid signature of manifest.json: the manifest was changed or forged.")
    }
    var listed = Set<String>()
    for file in manifest.files {
      listed.insert(file.path)
      let url = folder.appendingPathComponent(file.path)
      guard FileManager.default.fileExists(atPath: url.path) else {
        problems.append("\(file.path) is missing.")
        continue
      }
      guard let hash = try? ExportCrypto.sha256(of: url) else {
        problems.append("\(file.path) cannot be read.")
        continue
      }
      if hash.size != file.size || hash.hex != file.sha256 {
        problems.append("\(file.path) was changed (its SHA-256 differs).")
      }
    }
    for path in (try? EvidencePackage.listFiles(in: folder)) ?? [] where !listed.contains(path) {
      problems.append("\(path) was added: it is not in the manifest.")
    }
    if let recordBytes = try? Data(contentsOf: folder.appendingPathComponent("records.json")),
      let records = try? JSONDecoder().decode(EvidencePackage.RecordsFile.self, from: recordBytes)
    {
      for item in records.records {
        if let json = item.json, ExportCrypto.leaf(Array(json.utf8)) != item.leaf {
          problems.append("Record \(item.sequence) in records.json does not match its leaf: it was changed.")
        }
      }
      let head = ExportCrypto.chainHead(vaultId: manifest.vaultId, leaves: records.records.map(\.leaf))
      if head != manifest.headHash || records.records.count != Int(manifest.headSequence)
        || records.vaultId != manifest.vaultId
      {
        problems.append(
          "The records do not chain to the signed head: records were added, removed or taken from another vault.")
      } else {
        notes.append(
          "Chain: \(records.records.count) records chain to the signed head \(manifest.headSequence) \(manifest.headHash)."
        )
      }
      let withheld = records.records.filter { $0.json == nil }.count
      if withheld > 0 {
        notes.append(
          "\(withheld) records of the journal are withheld from this export; their leaves are included, so the chain still verifies."
        )
      }
    } else {
      problems.append("records.json is missing or cannot be read.")
    }
    let verdict =
      problems.isEmpty
      ? "INTACT: every file, record and the chain verify." : "NOT INTACT: \(problems.count) problem(s) found."
    return Verdict(isIntact: problems.isEmpty, lines: [verdict] + problems + notes)
  }
}
