import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

interface Props {
  /** 0–100. */
  percent: number;
  label: string;
  testId?: string;
}

/** A determinate progress bar (role progressbar, with its value for assistive technology). */
export function ProgressBar({ percent, label, testId }: Props) {
  const styles = useStyles2(getStyles);
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      data-testid={testId}
      className={styles.track}
    >
      <div className={styles.bar} style={{ width: `${value}%` }} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  track: css({
    width: '100%',
    maxWidth: theme.spacing(60),
    height: theme.spacing(0.5),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.canvas,
    overflow: 'hidden',
  }),
  bar: css({
    height: '100%',
    background: theme.colors.primary.main,
    [theme.transitions.handleMotion('no-preference')]: {
      transition: 'width 150ms linear',
    },
  }),
});
