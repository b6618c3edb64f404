import EvidenceVault
import Foundation

/// The `--json` outputs of the CLI (Schemas/entry-list, entry-history and person-list).
public enum JSONOutput {
  private struct ListItem: Encodable {
    let number: Int
    let amended: Bool
    let versionCount: Int
    let entry: Entry
  }

  private struct History: Encodable {
    let number: Int
    let versions: [Entry]
  }

  /// `evidence list --json`.
  public static func entryList(_ histories: [EntryHistory]) -> String {
    encode(
      histories.map {
        ListItem(number: $0.number, amended: $0.isAmended, versionCount: $0.versions.count, entry: $0.current)
      })
  }

  /// `evidence show N --json`.
  public static func entryHistory(_ history: EntryHistory) -> String {
    encode(History(number: history.number, versions: history.versions))
  }

  /// `evidence person list --json`.
  public static func personList(_ people: [Person]) -> String {
    encode(people)
  }

  private static func encode(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Records hold strings, numbers and arrays only: encoding cannot fail.
    guard let data = try? encoder.encode(value) else { preconditionFailure("JSON encoding failed") }
    return String(decoding: data, as: UTF8.self)
  }
}
