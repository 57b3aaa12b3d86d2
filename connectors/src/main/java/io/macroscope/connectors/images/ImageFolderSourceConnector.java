package io.macroscope.connectors.images;

import io.macroscope.connectors.SingleTaskSourceConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Streams the images an instrument writes into a folder as Frame records (one task per folder). See
 * {@link ImageFolderConfig} for the settings.
 */
public final class ImageFolderSourceConnector extends SingleTaskSourceConnector {

  @Override
  protected void check(Map<String, String> props) {
    new ImageFolderConfig(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return ImageFolderSourceTask.class;
  }

  @Override
  public ConfigDef config() {
    return ImageFolderConfig.DEF;
  }
}
