// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "evidence-journal",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "evidence", targets: ["EvidenceCLI"]),
    .library(name: "EvidenceVault", targets: ["EvidenceVault"]),
    .library(name: "EvidenceReport", targets: ["EvidenceReport"]),
    .library(name: "EvidencePDF", targets: ["EvidencePDF"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
  ],
  targets: [
    // The only door to libsodium. Only Sources/EvidenceVault/Sodium/ and Sources/EvidenceAge/AgeSodium.swift import it.
    .systemLibrary(
      name: "CSodium",
      pkgConfig: "libsodium",
      providers: [.apt(["libsodium-dev"])]
    ),
    // libexif, for the capture metadata of photos. Only Sources/EvidenceVault/Attachments/ imports it.
    .systemLibrary(name: "CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),
    // OpenSSL's SHA-256 (with the CPU's SHA extensions) for hashing large attachments; nothing else of OpenSSL.
    .systemLibrary(name: "COpenSSLHash", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    // Crypto wrapper, on-disk format, records, hash chain, attachments, locking, the public `Vault` API.
    .target(name: "EvidenceVault", dependencies: ["CSodium", "CExif", "COpenSSLHash"]),
    // The age v1 file format (C2SP age.md): X25519 and passphrase (scrypt) recipients, armor, streaming
    // encryption and decryption. Knows nothing of vaults; AgeSodium.swift is its only door to libsodium.
    .target(name: "EvidenceAge", dependencies: ["CSodium"]),
    // Reading zip archives from strangers (a chat export, an evidence package): every size and offset checked,
    // members streamed and capped. ZIPFoundation only for its inflater. Knows nothing of vaults.
    .target(name: "EvidenceZip", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    // Readers of phone and app exports (SMS backups, WhatsApp, Telegram, e-mail) → ImportedMessage values, and
    // the importer that hands them to the vault's public API. No crypto and no disk format.
    .target(name: "EvidenceImport", dependencies: ["EvidenceVault", "EvidenceZip"]),
    // The interface's words: one catalogue per language (Languages/sv.swift, en.swift), the choice of language.
    // Knows nothing of vaults; everything the person reads on the terminal comes from here.
    .target(name: "EvidenceCatalogue"),
    // Model values → text for people: terminal listings, the dossier, the evidence package and its verifier.
    .target(
      name: "EvidenceReport",
      dependencies: [
        "EvidenceVault", "EvidenceZip", "EvidenceCatalogue", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]),
    // Pango (text shaping in every script) and cairo (PDF pages). Only Sources/EvidencePDF/ imports it.
    .systemLibrary(
      name: "CPangoCairo",
      pkgConfig: "pangocairo",
      providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]
    ),
    // The dossier model → a PDF: the same content, order and numbering as dossier.txt.
    .target(name: "EvidencePDF", dependencies: ["EvidenceReport", "EvidenceVault", "CPangoCairo"]),
    // The `evidence` command: parses, prompts, prints. No logic of its own.
    .executableTarget(
      name: "EvidenceCLI",
      dependencies: [
        "EvidenceVault", "EvidenceReport", "EvidencePDF", "EvidenceImport", "EvidenceAge", "EvidenceCatalogue",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // `swift run -c release evidence-bench`: figures for the closing notes, never run by tests.
    .executableTarget(
      name: "evidence-bench",
      dependencies: [
        "EvidenceVault", "EvidenceImport", "EvidenceReport", "EvidencePDF", "EvidenceAge", "CSodium", "COpenSSLHash",
      ]),
    .testTarget(
      name: "EvidenceVaultTests",
      dependencies: ["EvidenceVault"],
      resources: [.copy("Vectors")]
    ),
    .testTarget(
      name: "EvidenceReportTests", dependencies: ["EvidenceReport", "EvidenceVault", "EvidenceZip"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "EvidencePDFTests",
      dependencies: ["EvidencePDF", "EvidenceReport", "EvidenceVault"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "EvidenceImportTests",
      dependencies: [
        "EvidenceImport", "EvidenceVault", "EvidenceZip", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]),
    .testTarget(name: "EvidenceCLITests", dependencies: ["EvidenceVault", "EvidenceCLI", "EvidenceAge"]),
    .testTarget(name: "EvidenceCatalogueTests", dependencies: ["EvidenceCatalogue"]),
    .testTarget(name: "EvidenceAgeTests", dependencies: ["EvidenceAge"], resources: [.copy("testkit")]),
  ]
)

// Fuzzing: `scripts/fuzz` builds the libFuzzer harnesses of Fuzz/ (one executable, one harness per parser of hostile
// files) with `-sanitize=fuzzer,address`. They are declared only when EVIDENCE_FUZZ is set, so the ordinary build and
// `swift test` never see them.
if Context.environment["EVIDENCE_FUZZ"] != nil {
  package.targets += [
    // libFuzzer's driver entry (LLVMFuzzerRunDriver), from the runtime `-sanitize=fuzzer` links.
    .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
    .executableTarget(
      name: "evidence-fuzz",
      dependencies: ["CLibFuzzer", "EvidenceVault", "EvidenceImport", "EvidenceReport", "EvidenceAge"],
      path: "Fuzz/EvidenceFuzz"),
  ]
  package.products.append(.executable(name: "evidence-fuzz", targets: ["evidence-fuzz"]))
}
