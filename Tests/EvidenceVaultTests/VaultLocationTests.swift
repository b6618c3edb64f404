import Foundation
import Testing

@testable import EvidenceVault

/// Where a vault is kept when no folder is named: a neutral default for new vaults, the earlier default still found.
@Suite struct VaultLocationTests {
  let home = URL(fileURLWithPath: "/home/someone")

  @Test func aNewVaultsDefaultFolderHasANeutralName() {
    let folder = VaultLocation.folder(named: nil, environment: [:], home: home)
    #expect(folder.path == "/home/someone/.local/share/ej")
    #expect(!folder.path.contains("evidence") && !folder.path.contains("journal"))
    let xdg = VaultLocation.folder(named: nil, environment: ["XDG_DATA_HOME": "/data"], home: home)
    #expect(xdg.path == "/data/ej")
  }

  @Test func aNamedFolderComesFirstThenTheEnvironment() {
    #expect(
      VaultLocation.folder(named: "/mnt/usb/x", environment: ["EVIDENCE_VAULT": "/elsewhere"], home: home).path
        == "/mnt/usb/x")
    #expect(
      VaultLocation.folder(named: nil, environment: ["EVIDENCE_VAULT": "/elsewhere"], home: home).path == "/elsewhere")
    #expect(VaultLocation.isChosen(named: nil, environment: ["EVIDENCE_VAULT": "/elsewhere"]))
    #expect(!VaultLocation.isChosen(named: nil, environment: ["EVIDENCE_VAULT": ""]))
  }

  @Test func aVaultAtTheEarlierDefaultPlaceIsStillFound() throws {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-location-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: data) }
    let environment = ["XDG_DATA_HOME": data.path]
    // An empty folder of the old name is not a vault: the neutral default is used.
    let earlier = data.appendingPathComponent("evidence-journal")
    try FileManager.default.createDirectory(at: earlier, withIntermediateDirectories: true)
    #expect(VaultLocation.folder(named: nil, environment: environment, home: home).lastPathComponent == "ej")
    _ = try Vault.create(at: earlier, passphrase: TestVaults.passphrase(), strength: TestVaults.strength)
    #expect(VaultLocation.folder(named: nil, environment: environment, home: home).path == earlier.path)
    // A new vault is still made at the neutral place.
    #expect(VaultLocation.defaultFolder(environment: environment, home: home).lastPathComponent == "ej")
  }
}
