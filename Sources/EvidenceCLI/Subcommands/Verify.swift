import ArgumentParser
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check every record and the hash chain; says OK with the head, or exactly what is wrong.")

    @OptionGroup var vaultOptions: VaultOptions

    func run() throws {
      let passphrase = try PassphraseReader.read(from: vaultOptions.passphraseSource, prompt: "Passphrase: ")
      let vault = try Vault.open(at: vaultOptions.folder, passphrase: passphrase)
      let integrity = vault.integrity
      for notice in integrity.notices + vault.clockNotices { print("Note: \(notice)") }
      let unknown = vault.index.unknownRecordCount
      if unknown > 0 {
        print(
          "Note: \(vault.index.unknownRecordCount) records are of a kind this version of evidence does not show; they verify and are kept."
        )
      }
      if integrity.isIntact {
        let index = vault.index
        let amendments = index.entries.reduce(0) { $0 + $1.versions.count - 1 }
        let counts = [
          counted(index.entries.count, "entry", "entries"), counted(amendments, "amendment", "amendments"),
          counted(index.people.count, "person", "people"),
        ]
        print(
          "OK: \(counted(Int(integrity.head.sequence), "record verifies", "records verify")) (\(counts.joined(separator: ", ")))."
        )
        print("Head: \(integrity.head.sequence) \(integrity.head.hashHex)")
        print("Vault fingerprint: \(vault.fingerprint)")
      } else {
        for problem in integrity.problems { print("DAMAGED: \(problem.message)") }
        print("Verified head: \(integrity.head.sequence) \(integrity.head.hashHex)")
        throw CommandFailure(
          message: "The vault does not verify.",
          hint:
            "Do not delete anything. Keep a copy of the whole vault folder; what verifies can still be read and exported.",
          exitCode: 1)
      }
    }
  }
}

/// "1 entry", "3 entries".
func counted(_ count: Int, _ singular: String, _ plural: String) -> String {
  "\(count) \(count == 1 ? singular : plural)"
}
