import { strict as assert } from 'node:assert';
import { EditedRegions } from '../../../src/core/editedRegions';

describe('EditedRegions: which lines were edited, in the document\'s current line numbers', () => {
  it('an edit inside one line marks that line only', () => {
    const r = new EditedRegions();
    r.apply(12, 12, 0, 1000);
    assert.equal(r.editedSince(12, 12, 999), true);
    assert.equal(r.editedSince(0, 11, 0), false);
    assert.equal(r.editedSince(13, 40, 0), false);
    // Older than the results: not an edit since them.
    assert.equal(r.editedSince(12, 12, 1000), false);
  });

  it('lines inserted above move the edited region down; lines deleted above move it up', () => {
    const r = new EditedRegions();
    r.apply(30, 30, 0, 1000);
    r.apply(5, 5, 3, 2000); // three line breaks typed at line 5: line 30 is now 33
    assert.equal(r.editedSince(33, 33, 1500), false, 'the old edit is now at line 33, older than 1500');
    assert.equal(r.editedSince(33, 33, 500), true);
    assert.equal(r.editedSince(30, 30, 500), false);
    r.apply(0, 2, 0, 3000); // lines 0-2 joined into one: line 33 is now 31
    assert.equal(r.editedSince(31, 31, 500), true);
    assert.equal(r.editedSince(33, 33, 500), false);
  });

  it('overlapping edits merge and keep the newest time', () => {
    const r = new EditedRegions();
    r.apply(10, 12, 2, 1000);
    r.apply(12, 14, 0, 2000); // replaces lines 12-14 with one line
    assert.equal(r.size, 1);
    assert.equal(r.editedSince(10, 10, 1500), true);
    assert.equal(r.editedSince(13, 20, 0), false, 'nothing below the merged region');
  });
});
