import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { SessionStore } from '../sources/sessionStore';
import { selectors } from './selectors';
import { UploadSourceEditor } from './UploadSourceEditor';

const WAIT = { timeout: 20_000 };

/** A pause the test releases by hand: the upload advances one slice per release. */
function gate() {
  let waiting: Array<() => void> = [];
  return {
    pause: () => new Promise<void>((resolve) => waiting.push(resolve)),
    /** Lets every slice waiting go on. */
    release: () => {
      const now = waiting;
      waiting = [];
      now.forEach((resolve) => resolve());
    },
    waiting: () => waiting.length,
  };
}

/** ~1 MB of log lines: four slices of 256 KB. */
function bigFile(name = 'big.ndjson'): File {
  const line = JSON.stringify({ timestamp: '2024-01-01 00:00:00.000', eventType: 'Connect', clientId: 'sensor' });
  return new File([Array.from({ length: (1024 * 1024) / line.length }, (_, i) => `${line}${i}`).join('\n')], name);
}

function setup(pause?: () => Promise<void>) {
  const onChange = jest.fn();
  const store = new SessionStore();
  const user = userEvent.setup({ delay: null });
  render(
    <UploadSourceEditor
      refId="A"
      source={{ type: 'upload', fileName: '', size: 0 }}
      datasource={{ maxStoredBytes: 1024 * 1024, sessions: store }}
      explore={false}
      onChange={onChange}
      onClear={jest.fn()}
      onBlur={jest.fn()}
      pause={pause}
    />
  );
  return { user, onChange, store };
}

describe('UploadSourceEditor', () => {
  it('shows the progress of compressing in slices, then hands over the file', async () => {
    const slices = gate();
    const { user, onChange } = setup(slices.pause);
    await user.upload(screen.getByTestId(selectors.queryEditor.fileInput), bigFile());
    // The first slice is compressed, then the page gets its turn.
    await waitFor(() => expect(slices.waiting()).toBe(1), WAIT);
    const bar = screen.getByRole('progressbar', { name: 'Compressing big.ndjson' });
    const first = Number(bar.getAttribute('aria-valuenow'));
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(100);
    expect(screen.getByTestId(selectors.queryEditor.uploadProgress)).toHaveTextContent(/^Compressing big.ndjson… \d+%/);
    act(() => slices.release());
    await waitFor(
      () => expect(Number(screen.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeGreaterThan(first),
      WAIT
    );
    // Let the rest go.
    for (let turns = 0; onChange.mock.calls.length === 0 && turns < 100; turns++) {
      await act(async () => {
        slices.release();
        await new Promise((resolve) => setTimeout(resolve));
      });
    }
    // The query gets it and runs.
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ fileName: 'big.ndjson', data: expect.any(String) }),
      true
    );
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('cancels an upload: nothing is handed over or kept', async () => {
    const slices = gate();
    const { user, onChange } = setup(slices.pause);
    await user.upload(screen.getByTestId(selectors.queryEditor.fileInput), bigFile());
    await waitFor(() => expect(slices.waiting()).toBe(1), WAIT);
    await user.click(screen.getByRole('button', { name: 'Cancel upload' }));
    expect(screen.queryByRole('progressbar')).toBeNull();
    // The slice being waited for ends the work.
    await act(async () => {
      slices.release();
      await new Promise((resolve) => setTimeout(resolve));
    });
    expect(slices.waiting()).toBe(0);
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.queryByRole('progressbar')).toBeNull();
    // The drop target is back, without an error.
    expect(screen.getByRole('button', { name: /Drop an AWS IoT log file here/ })).toBeInTheDocument();
    expect(screen.queryByText('Upload failed')).toBeNull();
  });

  it('is a keyboard-reachable button that opens the file picker with Enter or Space', async () => {
    const { user } = setup();
    const input = screen.getByTestId(selectors.queryEditor.fileInput) as HTMLInputElement;
    const click = jest.spyOn(input, 'click').mockImplementation(() => {});
    await user.tab();
    const dropzone = screen.getByRole('button', { name: 'Drop an AWS IoT log file here, or choose one' });
    expect(dropzone).toHaveFocus();
    expect(dropzone).toHaveAccessibleDescription(/\.json .*\.gz/);
    await user.keyboard('{Enter}');
    await user.keyboard(' ');
    expect(click).toHaveBeenCalledTimes(2);
  });

  it('refuses a dropped file of another type', async () => {
    const { onChange } = setup();
    const dropzone = screen.getByRole('button', { name: /Drop an AWS IoT log file here/ });
    const file = new File(['x'], 'picture.png');
    fireEvent.drop(dropzone, { dataTransfer: { files: [file] } });
    expect(screen.getByText('Upload failed')).toBeInTheDocument();
    expect(screen.getByText(/picture.png is not one of .json/)).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });
});
